import { existsSync } from 'node:fs';
import { databasePath, openDatabase } from '../store/index.js';
import type { Plan } from '../search/index.js';

export interface PlanProgress {
  database: string;
  jobsDone: number;
  trialsDone: number;
  byKind: Record<string, number>;
  /** Keys of the plan's jobs already done (the memory check skips them). */
  doneKeys: Set<string>;
}

/**
 * How much of a plan an existing results store already holds (by job key, so work done
 * for another sweep counts too). Null when there is no store yet.
 */
export function jobProgressFromStore(resultsDir: string, plan: Plan): PlanProgress | null {
  const file = databasePath(resultsDir);
  if (!existsSync(file)) return null;
  const db = openDatabase(resultsDir, { mustExist: true });
  try {
    const state = db.prepare('SELECT state FROM jobs WHERE key = ?');
    const done = new Set<string>();
    const byKind: Record<string, number> = {};
    for (const job of plan.jobs.values()) {
      const row = state.get(job.key) as { state: string } | undefined;
      if (row?.state === 'done') {
        done.add(job.key);
        byKind[job.kind] = (byKind[job.kind] ?? 0) + 1;
      }
    }
    let trialsDone = 0;
    for (const trialPlan of plan.trials.values()) if (done.has(trialPlan.result)) trialsDone++;
    return { database: file, jobsDone: done.size, trialsDone, byKind, doneKeys: done };
  } finally {
    db.close();
  }
}
