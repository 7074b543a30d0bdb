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

/**
 * The other swept factors whose levels are not the same at every level of `path` (a
 * factor absent from some trials counts as a level of its own): the differences between
 * `path`'s levels then mix in those factors' effects. Seeds are left out (every
 * configuration runs all of them).
 */
export function uncrossedFactors(data: ReportData, path: string): string[] {
  const byLevel = new Map<string, ReportTrial[]>();
  for (const trial of data.trials) {
    if (!(path in trial.params)) continue;
    const level = canonicalJson(trial.params[path]);
    const trials = byLevel.get(level);
    if (trials) trials.push(trial);
    else byLevel.set(level, [trial]);
  }
  if (byLevel.size < 2) return [];
  const levelSet = (trials: ReportTrial[], other: string): string =>
    [...new Set(trials.map((t) => (other in t.params ? canonicalJson(t.params[other]) : '(absent)')))].sort().join('|');
  return data.factors
    .map((f) => f.path)
    .filter((other) => other !== path && other !== 'seed')
    .filter((other) => new Set([...byLevel.values()].map((trials) => levelSet(trials, other))).size > 1);
}
