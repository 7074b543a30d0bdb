import { mean } from 'simple-statistics';
import type { SeedSummary } from '../../metrics/index.js';
import type { Json } from '../../search/paths.js';
import { canonicalJson } from '../../util/hash.js';
import { summarize } from './summaries.js';
import type { ReportData, ReportTrial } from './types.js';

/**
 * The mean of a metric over the finished trials that match, with its interval over seeds:
 * trials are averaged within each seed first (over the other factors), then the per-seed
 * means are summarised, so the interval reflects seed-to-seed variation of the average.
 */
export function averagedOverSeeds(data: ReportData, trials: ReportTrial[], dataset: string, metric: string): SeedSummary | null {
  const bySeed = new Map<number, number[]>();
  for (const trial of trials) {
    const value = data.scores.get(trial.id)?.get(dataset)?.[metric];
    if (value === undefined) continue;
    const values = bySeed.get(trial.seed);
    if (values) values.push(value);
    else bySeed.set(trial.seed, [value]);
  }
  return summarize([...bySeed.values()].map((values) => mean(values)));
}

/** Trials whose parameter `path` has the value `level` (trials without the parameter never match). */
export function trialsAtLevel(trials: ReportTrial[], path: string, level: Json): ReportTrial[] {
  const wanted = canonicalJson(level);
  return trials.filter((t) => path in t.params && canonicalJson(t.params[path]) === wanted);
}
