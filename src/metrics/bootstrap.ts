import { resolveMetric, type MetricName, type SortedMetric } from './detection.js';
import { percentileInterval } from './quantile.js';
import { drawCounts, expandSorted } from './resample.js';
import { sortByClass, type BonafideFlags } from './score-set.js';
import { sampleStandardDeviation } from 'simple-statistics';
import { Rng } from '../util/rng.js';
import { UserError } from '../util/errors.js';

export interface BootstrapOptions {
  /** Number of replicates (default 1000). */
  iterations?: number;
  /** Seed of the resampling stream (default 0): the same seed gives the same interval. */
  seed?: number;
  /** Two-sided coverage of the interval (default 0.95). */
  level?: number;
}

export interface BootstrapInterval {
  /** The metric on the full score set. */
  estimate: number;
  lower: number;
  upper: number;
  level: number;
  iterations: number;
  seed: number;
  /** Standard deviation of the replicates (a bootstrap standard error). */
  standardError: number;
}

export function resolveBootstrapOptions(options: BootstrapOptions): Required<BootstrapOptions> {
  const iterations = options.iterations ?? 1000;
  const seed = options.seed ?? 0;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new UserError(`bootstrap: iterations must be a positive integer, got ${String(options.iterations)}.`);
  }
  if (!(level > 0 && level < 1)) throw new UserError(`bootstrap: level must be in (0, 1), e.g. 0.95; got ${String(options.level)}.`);
  if (!Number.isFinite(seed)) throw new UserError(`bootstrap: seed must be a finite number, got ${String(options.seed)}.`);
  return { iterations, seed, level };
}

/**
 * Percentile bootstrap interval of a metric (a name, or a function of classes sorted
 * ascending). Resampling is stratified: each replicate redraws the bona fide and the spoof
 * trials separately with their own counts kept, so every replicate has both classes and the
 * class ratio of the test set, as is usual for EER intervals. Deterministic for a given seed.
 * A metric function receives buffers reused across replicates: compute from them, don't keep them.
 */
export function bootstrapInterval(
  scores: ArrayLike<number>,
  isBonafide: BonafideFlags,
  metric: MetricName | SortedMetric,
  options: BootstrapOptions = {},
): BootstrapInterval {
  const { iterations, seed, level } = resolveBootstrapOptions(options);
  const compute = resolveMetric(metric);
  const sorted = sortByClass(scores, isBonafide);
  const rng = Rng.fromLabels('metrics.bootstrap', seed);
  const bonafideCounts = new Uint32Array(sorted.bonafide.length);
  const spoofCounts = new Uint32Array(sorted.spoof.length);
  const bonafide = new Float64Array(sorted.bonafide.length);
  const spoof = new Float64Array(sorted.spoof.length);
  const replicates = new Float64Array(iterations);
  for (let r = 0; r < iterations; r++) {
    expandSorted(sorted.bonafide, null, drawCounts(bonafide.length, rng, bonafideCounts), bonafide);
    expandSorted(sorted.spoof, null, drawCounts(spoof.length, rng, spoofCounts), spoof);
    replicates[r] = compute({ bonafide, spoof });
  }
  return { estimate: compute(sorted), ...percentileInterval(replicates, level), level, iterations, seed, standardError: stdev(replicates) };
}

/** Sample standard deviation (n - 1), 0 for fewer than two values. */
export function stdev(values: ArrayLike<number>): number {
  return values.length < 2 ? 0 : sampleStandardDeviation(Array.from(values));
}
