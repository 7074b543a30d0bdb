import { UserError } from '../../util/errors.js';
import type { JobData } from './job-data.js';
import type { Scorer } from './evaluate-job.js';

/** The trained mixture, or its experts averaged without the gate (the gate-ablated control). */
export async function mixtureScorer(target: 'moe' | 'gate-ablated', _jobDir: string, _data: JobData): Promise<Scorer> {
  throw new UserError(`evaluating a ${target} trial needs the mixture module, which is not wired in yet`);
}
