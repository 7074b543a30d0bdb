import type { JobRunner } from '../../protocol/job-protocol.js';

/**
 * Runs a job of the plan for real: feature extraction, expert pre-training, mixture
 * training, evaluation (src/jobs). Imported lazily so a worker pays for TensorFlow.js
 * only when it runs a job that needs it.
 */
const run: JobRunner = async (context) => {
  const { runJob } = await import('../../jobs/index.js');
  return runJob(context);
};

export default run;
