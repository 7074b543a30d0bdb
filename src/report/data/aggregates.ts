import { mean } from 'simple-statistics';
import type { EvaluationSet, TrialScores } from './types.js';

/**
 * Fill in the known / unknown / all aggregates of one trial's scores where the store has no
 * `__known__` (etc.) row for a metric: the mean of that metric over the sets of the group
 * that have a value, as the evaluation job computes them. Stored aggregates always win.
 */
export function withAggregates(scores: TrialScores, sets: EvaluationSet[]): TrialScores {
  const groups: Array<[string, EvaluationSet[]]> = [
    ['__known__', sets.filter((s) => s.group === 'known')],
    ['__unknown__', sets.filter((s) => s.group === 'unknown')],
    ['__all__', sets],
  ];
  const metrics = new Set<string>();
  for (const set of sets) for (const metric of Object.keys(scores.get(set.name) ?? {})) metrics.add(metric);
  for (const [key, members] of groups) {
    const row = { ...(scores.get(key) ?? {}) };
    for (const metric of metrics) {
      if (row[metric] !== undefined) continue;
      const values = members.map((s) => scores.get(s.name)?.[metric]).filter((v): v is number => v !== undefined);
      if (values.length > 0) row[metric] = mean(values);
    }
    if (Object.keys(row).length > 0) scores.set(key, row);
  }
  return scores;
}
