import { join } from 'node:path';

/** Where a job's outputs live: results/jobs/<key>/. Content-addressed by the job key. */
export function jobDirectory(resultsDir: string, jobKey: string): string {
  return join(resultsDir, 'jobs', jobKey);
}
