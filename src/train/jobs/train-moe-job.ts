import type { JobContext } from '../../exec/protocol.js';
import type { JobResult } from '../../store/index.js';
import { UserError } from '../../util/errors.js';

/** Train the mixture: experts (pre-trained or fresh) and the gate together. */
export async function trainMoeJob(context: JobContext): Promise<JobResult> {
  throw new UserError(`job ${context.job.key}: the mixture trainer is not wired in yet`);
}
