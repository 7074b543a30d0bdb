import { mean } from 'simple-statistics';
import { summarizeOverSeeds } from '../../metrics/index.js';
import { UserError } from '../../util/errors.js';
import type { Configuration, ReportData } from '../data/types.js';
import { selectConfiguration } from './select.js';
import { signFlipTest, type SignFlipResult } from './sign-flip.js';

export interface Pair {
  seed: number;
  dataset: string;
  group: 'known' | 'unknown';
  a: number;
  b: number;
  /** a - b (for EER, negative means A is better). */
  diff: number;
}

export interface PairedComparison {
  sweep: string;
  metric: string;
  a: { label: string; seedsDone: number };
  b: { label: string; seedsDone: number };
  pairs: Pair[];
  seeds: number[];
  datasets: string[];
  meanDiff: number;
  /** Percentile bootstrap interval of the mean difference (pairs resampled). */
  interval: { lower: number; upper: number; level: number };
  test: SignFlipResult;
  /** Mean difference per evaluation set and per group, over seeds. */
  breakdown: Array<{ dataset: string; n: number; meanA: number; meanB: number; meanDiff: number }>;
}

export interface CompareOptions {
  metric?: string;
  iterations?: number;
  seed?: number;
}

/**
 * Paired comparison of two configurations over seeds and evaluation sets: each pair is the
 * same seed on the same set, so seed and set difficulty cancel out of the difference. The
 * pairs of one seed share their training runs, so the p-value treats as independent what
 * is only partly so: read it as indicative.
 */
export function compareConfigurations(data: ReportData, filterA: string, filterB: string, options: CompareOptions = {}): PairedComparison {
  const metric = options.metric ?? 'eer';
  const a = selectConfiguration(data, filterA, '--a');
  const b = selectConfiguration(data, filterB, '--b');
  if (a.key === b.key) throw new UserError(`--a and --b both name ${JSON.stringify(a.label)}; give two different configurations.`);
  const bySeedA = finishedBySeed(a);
  const bySeedB = finishedBySeed(b);
  const pairs: Pair[] = [];
  for (const [seed, trialA] of bySeedA) {
    const trialB = bySeedB.get(seed);
    if (!trialB) continue;
    for (const set of data.evaluationSets) {
      const va = data.scores.get(trialA)?.get(set.name)?.[metric];
      const vb = data.scores.get(trialB)?.get(set.name)?.[metric];
      if (va === undefined || vb === undefined) continue;
      pairs.push({ seed, dataset: set.name, group: set.group, a: va, b: vb, diff: va - vb });
    }
  }
  if (pairs.length === 0) {
    throw new UserError(
      `no pairs to compare: ${JSON.stringify(a.label)} has ${bySeedA.size} finished seed(s) and ${JSON.stringify(b.label)} ${bySeedB.size}, ` +
        `and they share no finished seed with a ${metric} value. Let more trials finish (ablate status ${data.sweep.name}).`,
    );
  }
  const iterations = options.iterations ?? 10_000;
  const seed = options.seed ?? 0;
  const summary = summarizeOverSeeds(pairs.map((p) => p.diff), { iterations, seed });
  const breakdown = [
    ...data.evaluationSets.map((s) => ({ dataset: s.name, rows: pairs.filter((p) => p.dataset === s.name) })),
    { dataset: 'Known', rows: pairs.filter((p) => p.group === 'known') },
    { dataset: 'Unknown', rows: pairs.filter((p) => p.group === 'unknown') },
  ]
    .filter((g) => g.rows.length > 0)
    .map((g) => ({ dataset: g.dataset, n: g.rows.length, meanA: mean(g.rows.map((r) => r.a)), meanB: mean(g.rows.map((r) => r.b)), meanDiff: mean(g.rows.map((r) => r.diff)) }));
  return {
    sweep: data.sweep.name,
    metric,
    a: { label: a.label, seedsDone: bySeedA.size },
    b: { label: b.label, seedsDone: bySeedB.size },
    pairs,
    seeds: [...new Set(pairs.map((p) => p.seed))].sort((x, y) => x - y),
    datasets: [...new Set(pairs.map((p) => p.dataset))],
    meanDiff: summary.mean,
    interval: { lower: summary.lower, upper: summary.upper, level: summary.level },
    test: signFlipTest(pairs.map((p) => p.diff), { iterations: Math.max(iterations, 10_000), seed }),
    breakdown,
  };
}

function finishedBySeed(configuration: Configuration): Map<number, string> {
  return new Map(configuration.trials.filter((t) => t.state === 'done').map((t) => [t.seed, t.id]));
}
