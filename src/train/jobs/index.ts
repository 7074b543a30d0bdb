import type { JobContext } from '../../exec/protocol.js';
import type { JobResult } from '../../store/index.js';

/** Dispatches a planned job to its implementation. */
export async function runJob(context: JobContext): Promise<JobResult> {
  throw new Error(`job kind ${context.job.kind} has no implementation yet`);
}
