import type { JobRunner } from '../../protocol/job-protocol.js';

/** Runs a job whose trial names a command trainer: the protocol of docs/TRAINERS.md (src/trainers/). */
const run: JobRunner = async (context) => {
  const { runCommandJob } = await import('../../trainers/run-command-job.js');
  return runCommandJob(context);
};

export default run;
