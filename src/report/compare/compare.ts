import { mean } from 'simple-statistics';
import { percentileInterval } from '../../metrics/quantile.js';
import { Rng } from '../../util/rng.js';
import { UserError } from '../../util/errors.js';
import type { Configuration, ReportData } from '../data/types.js';
import type { ItemLevelComparison } from './item-pairs.js';
import { pairConfigurations, type Partners } from './partners.js';
import { selectConfigurations } from './select.js';
import { signFlipTest, type SignFlipResult } from './sign-flip.js';

export interface Pair {
  /** Labels of the two configurations of this pair. */
  configurationA: string;
  configurationB: string;
  /** The two trials (same seed) whose scores on `dataset` are paired. */
  trialA: string;
  trialB: string;
  seed: number;
  dataset: string;
  group: 'known' | 'unknown';
  a: number;
  b: number;
  /** a - b (for EER, negative means A is better). */
  diff: number;
}

export interface ConfigurationPairSummary {
  a: string;
  b: string;
  seeds: number[];
  meanA: number;
  meanB: number;
  meanDiff: number;
}

export interface PairedComparison {
  sweep: string;
  metric: string;
  /** The filter as given, its label when it names one configuration, and how many seeds of its paired configurations finished. */
  a: { label: string; configurations: string[]; seedsDone: number };
  b: { label: string; configurations: string[]; seedsDone: number };
  /** Parameters the two sides differ in; every pair holds all others equal. */
  compared: string[];
  configurationPairs: ConfigurationPairSummary[];
  unpaired: { a: string[]; b: string[] };
  /** What a pair is: the same seed of both configurations scored on the same evaluation set. */
  pairing: string;
  pairs: Pair[];
  seeds: number[];
  datasets: string[];
  /** Independent units: (configuration pair, seed), each one training run per side. */
  units: number;
  meanDiff: number;
  /** Percentile bootstrap interval of the mean difference, resampling (configuration pair, seed) units. */
  interval: { lower: number; upper: number; level: number };
  /** Sign-flip test over the units' mean differences. */
  test: SignFlipResult;
  /** The same comparison on per-item scores where the store has them (filled by the CLI; null when none). */
  items?: ItemLevelComparison | null;
  /** Mean difference per evaluation set and per group. */
  breakdown: Array<{ dataset: string; n: number; meanA: number; meanB: number; meanDiff: number }>;
}

export interface CompareOptions {
  metric?: string;
  iterations?: number;
  seed?: number;
  /** Only these evaluation sets (the headline compares known and unknown sets apart); default all. */
  datasets?: string[];
}

/**
 * Paired comparison of two sets of configurations. Each configuration of A is paired with
 * its partner in B that differs only in the compared factor(s) (pairConfigurations); within
 * a configuration pair, each pair of values is the same seed on the same evaluation set, so
 * seed, set and every other factor cancel out of the difference. The pooled difference is the
 * mean over all pairs; its interval and test treat a (configuration pair, seed) as the
 * independent unit, since the sets of one unit are scored by the same two trained models.
 */
export function compareConfigurations(data: ReportData, filterA: string, filterB: string, options: CompareOptions = {}): PairedComparison {
  const sideA = selectConfigurations(data, filterA, '--a');
  const sideB = selectConfigurations(data, filterB, '--b');
  const describe = (side: Configuration[], filter: string) => (side.length === 1 ? (side[0] as Configuration).label : filter.trim());
  return comparePartners(data, pairConfigurations(sideA, sideB), describe(sideA, filterA), describe(sideB, filterB), options);
}

/**
 * The comparison of configuration pairs already chosen (compareConfigurations, or the
 * report's headline, which picks its sides by rule instead of by filter).
 */
export function comparePartners(data: ReportData, partners: Partners, labelA: string, labelB: string, options: CompareOptions = {}): PairedComparison {
  const metric = options.metric ?? 'eer';
  const sets = options.datasets ? data.evaluationSets.filter((s) => options.datasets?.includes(s.name)) : data.evaluationSets;
  const sideA = partners.pairs.map((p) => p.a).concat(partners.unpairedA);
  const sideB = partners.pairs.map((p) => p.b).concat(partners.unpairedB);
  const pairs: Pair[] = [];
  const units = new Map<string, number[]>();
  const configurationPairs: ConfigurationPairSummary[] = [];
  for (const { a, b } of partners.pairs) {
    const bySeedA = finishedBySeed(a);
    const bySeedB = finishedBySeed(b);
    const own: Pair[] = [];
    for (const [seed, trialA] of bySeedA) {
      const trialB = bySeedB.get(seed);
      if (!trialB) continue;
      for (const set of sets) {
        const va = data.scores.get(trialA)?.get(set.name)?.[metric];
        const vb = data.scores.get(trialB)?.get(set.name)?.[metric];
        if (va === undefined || vb === undefined) continue;
        const pair = { configurationA: a.label, configurationB: b.label, trialA, trialB, seed, dataset: set.name, group: set.group, a: va, b: vb, diff: va - vb };
        own.push(pair);
        const unit = `${a.key}\u0000${seed}`;
        units.set(unit, [...(units.get(unit) ?? []), pair.diff]);
      }
    }
    pairs.push(...own);
    if (own.length > 0) {
      configurationPairs.push({
        a: a.label,
        b: b.label,
        seeds: [...new Set(own.map((p) => p.seed))].sort((x, y) => x - y),
        meanA: mean(own.map((p) => p.a)),
        meanB: mean(own.map((p) => p.b)),
        meanDiff: mean(own.map((p) => p.diff)),
      });
    }
  }
  if (pairs.length === 0) {
    const seeds = (side: Configuration[]) => side.reduce((n, c) => n + finishedBySeed(c).size, 0);
    throw new UserError(
      `no pairs to compare: ${JSON.stringify(labelA)} has ${seeds(sideA)} finished trial(s) and ${JSON.stringify(labelB)} ${seeds(sideB)} ` +
        `in ${partners.pairs.length} configuration pair(s), and no pair shares a finished seed with a ${metric} value. Let more trials finish (ablate status ${data.sweep.name}).`,
    );
  }
  const iterations = options.iterations ?? 10_000;
  const seed = options.seed ?? 0;
  const unitMeans = [...units.values()].map((diffs) => mean(diffs));
  const unitSizes = [...units.values()].map((diffs) => diffs.length);
  const interval = clusterBootstrap(unitMeans, unitSizes, iterations, seed);
  const breakdown = [
    ...sets.map((s) => ({ dataset: s.name, rows: pairs.filter((p) => p.dataset === s.name) })),
    { dataset: 'Known', rows: pairs.filter((p) => p.group === 'known') },
    { dataset: 'Unknown', rows: pairs.filter((p) => p.group === 'unknown') },
  ]
    .filter((g) => g.rows.length > 0)
    .map((g) => ({ dataset: g.dataset, n: g.rows.length, meanA: mean(g.rows.map((r) => r.a)), meanB: mean(g.rows.map((r) => r.b)), meanDiff: mean(g.rows.map((r) => r.diff)) }));
  const paired = partners.pairs.filter((p) => configurationPairs.some((c) => c.a === p.a.label));
  const seedsDone = (side: Configuration[]) => side.reduce((n, c) => n + finishedBySeed(c).size, 0);
  return {
    sweep: data.sweep.name,
    metric,
    a: { label: labelA, configurations: paired.map((p) => p.a.label), seedsDone: seedsDone(paired.map((p) => p.a)) },
    b: { label: labelB, configurations: paired.map((p) => p.b.label), seedsDone: seedsDone(paired.map((p) => p.b)) },
    compared: partners.compared,
    configurationPairs,
    unpaired: { a: partners.unpairedA.map((c) => c.label), b: partners.unpairedB.map((c) => c.label) },
    pairing: 'seed and evaluation set',
    pairs,
    seeds: [...new Set(pairs.map((p) => p.seed))].sort((x, y) => x - y),
    datasets: [...new Set(pairs.map((p) => p.dataset))],
    units: units.size,
    meanDiff: mean(pairs.map((p) => p.diff)),
    interval,
    test: signFlipTest(unitMeans, { iterations: Math.max(iterations, 10_000), seed }),
    breakdown,
  };
}

/**
 * Percentile bootstrap of the pooled mean difference, drawing whole units with replacement
 * (each unit weighs by its number of pairs, so the full sample's value is the pooled mean).
 */
export function clusterBootstrap(unitMeans: number[], unitSizes: number[], iterations: number, seed: number): { lower: number; upper: number; level: number } {
  const level = 0.95;
  const rng = Rng.fromLabels('report.compare-bootstrap', seed);
  const means = new Float64Array(iterations);
  const n = unitMeans.length;
  for (let r = 0; r < iterations; r++) {
    let total = 0;
    let weight = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.int(n);
      total += (unitMeans[u] as number) * (unitSizes[u] as number);
      weight += unitSizes[u] as number;
    }
    means[r] = total / weight;
  }
  return { ...percentileInterval(means, level), level };
}

function finishedBySeed(configuration: Configuration): Map<number, string> {
  return new Map(configuration.trials.filter((t) => t.state === 'done').map((t) => [t.seed, t.id]));
}
