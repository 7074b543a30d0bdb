import type { Plan } from '../search/index.js';

/**
 * How much of a plan an existing results store already holds. Returns null until the
 * results store exists (the store lands with the execution engine).
 */
export function jobProgressFromStore(
  _resultsDir: string,
  _plan: Plan,
): { database: string; jobsDone: number; trialsDone: number; byKind: Record<string, number> } | null {
  return null;
}
