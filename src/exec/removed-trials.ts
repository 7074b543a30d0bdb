import type { Registration } from '../store/index.js';

/**
 * The warning a run prints when the sweep file lost trials the store holds for it (an axis
 * level or a seed removed, a field changed): they no longer count in the sweep's status,
 * export or report, so the user is told how many and where their results still are.
 */
export function removedTrialsWarning(sweep: string, registration: Registration, resultsDir: string): string {
  const removed = registration.removed;
  if (!removed) return '';
  const results = resultsDir === 'results' ? '' : ` --results ${resultsDir}`;
  return (
    `warning: the sweep file no longer has ${removed.trials} trial(s) that ${sweep} had in this store (${removed.done} of them finished); ` +
    `they are left out of ${sweep} from now on. Their results are kept as the sweep ${removed.keptAs}: ` +
    `\`ablate export ${removed.keptAs}${results}\` (or status, report, compare).\n`
  );
}
