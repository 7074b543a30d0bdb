import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { JobRunner } from '../../protocol/job-protocol.js';

/**
 * The no-op job kind: does no work, writes one tiny artifact and reports nothing else.
 * Runs every job of a plan when ABLATE_JOB_RUNNER points here, to measure what the
 * orchestration itself costs per job (bench/overhead).
 */
const run: JobRunner = async (context) => {
  const content = `${context.job.key}\n`;
  writeFileSync(join(context.jobDir, 'noop.txt'), content);
  return {
    artifacts: [
      {
        name: 'noop',
        path: `jobs/${context.job.key}/noop.txt`,
        size: Buffer.byteLength(content),
        sha256: createHash('sha256').update(content).digest('hex'),
      },
    ],
  };
};

export default run;
