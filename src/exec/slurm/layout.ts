import { join } from 'node:path';

/**
 * Where Slurm work lives in the shared results folder. Workers on compute nodes write only
 * here (and in jobs/<key>/); the SQLite store is written by `collect` on one machine, because
 * SQLite's locking is not safe over network filesystems.
 *
 *   results/slurm/<sweep>/results/<job-key>.json     attempts + JobResult, written by workers
 *   results/slurm/<sweep>/heartbeat/<job-key>        touched by a running worker
 *   results/slurm/<sweep>/submissions/<id>/          manifests, sbatch scripts, submission.json
 *   results/slurm/<sweep>/logs/                      Slurm's stdout/stderr of each array task
 */
export interface SlurmLayout {
  root: string;
  results: string;
  heartbeats: string;
  submissions: string;
  logs: string;
}

export function slurmLayout(resultsDir: string, sweep: string): SlurmLayout {
  const root = join(resultsDir, 'slurm', sweep);
  return {
    root,
    results: join(root, 'results'),
    heartbeats: join(root, 'heartbeat'),
    submissions: join(root, 'submissions'),
    logs: join(root, 'logs'),
  };
}

export function resultFile(layout: SlurmLayout, jobKey: string): string {
  return join(layout.results, `${jobKey}.json`);
}

export function heartbeatFile(layout: SlurmLayout, jobKey: string): string {
  return join(layout.heartbeats, jobKey);
}

/** Sweeps with a Slurm folder under the results folder. */
export function slurmRoot(resultsDir: string): string {
  return join(resultsDir, 'slurm');
}
