import { parseBreakdownRowName, parseGroupRowName } from '../metrics/score-names.js';
import { sweepExpertMetrics, sweepScores, sweepTrials, getSweep, type Db } from '../store/index.js';
import { UserError } from '../util/errors.js';

export interface ResultRow {
  trial: string;
  kind: string;
  state: string;
  params: Record<string, unknown>;
  dataset: string;
  group: string;
  metrics: Record<string, number | null>;
}

/**
 * One row per (trial, evaluation set) with the trial's varying parameters and every metric
 * its evaluation stored; aggregates over known / unknown / all sets are rows too
 * (dataset `__known__`, `__unknown__`, `__all__`, group `aggregate`). A mixture's rows also
 * carry each expert's own metrics (`expert0.eer`, `expert1.eer`, ...).
 */
export function resultRows(db: Db, sweep: string): ResultRow[] {
  if (!getSweep(db, sweep)) throw new UserError(`no sweep named ${sweep} in this results store.`);
  const trials = new Map(sweepTrials(db, sweep).map((t) => [t.id, t]));
  const rows = new Map<string, ResultRow>();
  for (const score of sweepScores(db, sweep)) {
    const trial = trials.get(score.trial_id);
    if (!trial) continue;
    const key = `${score.trial_id}\u0000${score.dataset}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        trial: trial.id,
        kind: trial.kind,
        state: trial.state,
        params: JSON.parse(trial.params) as Record<string, unknown>,
        dataset: score.dataset,
        group: rowGroup(score.dataset, score.grp),
        metrics: {},
      };
      rows.set(key, row);
    }
    row.metrics[score.metric] = score.value;
  }
  // Mixtures: each expert's own metrics on the set beside the mixture's, as `expert<i>.<metric>`
  // (i: the expert's index in the trial's experts, as in the gate files), so the gate's
  // contribution over its best expert is one subtraction away.
  for (const m of sweepExpertMetrics(db, sweep)) {
    const row = rows.get(`${m.trial_id}\u0000${m.dataset}`);
    if (row) row.metrics[`expert${m.expert}.${m.metric}`] = m.value;
  }
  return [...rows.values()];
}

/**
 * The group an exported row shows: the stored one, except that named evaluation groups
 * read `group` and breakdown rows `breakdown` (both are stored as `aggregate`).
 */
function rowGroup(dataset: string, stored: string): string {
  if (parseGroupRowName(dataset) !== null) return 'group';
  if (parseBreakdownRowName(dataset) !== null) return 'breakdown';
  return stored;
}

/** Metric names in a stable, readable order: the headline ones first. */
export function metricOrder(rows: ResultRow[]): string[] {
  const preferred = ['eer', 'auc', 'minDcf', 'actDcf', 'cllr', 'balancedAccuracy', 'tpr', 'tnr'];
  const names = new Set(rows.flatMap((r) => Object.keys(r.metrics)));
  return [...preferred.filter((n) => names.has(n)), ...[...names].filter((n) => !preferred.includes(n)).sort()];
}
