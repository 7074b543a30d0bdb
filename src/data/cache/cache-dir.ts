import { join } from 'node:path';

/** Where feature shards live under a results folder (shared by every sweep that uses it). */
export function featureCacheDir(resultsDir: string): string {
  return join(resultsDir, 'cache', 'features');
}
