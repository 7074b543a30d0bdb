import { mean } from 'simple-statistics';
import { resolveBootstrapOptions, stdev, type BootstrapOptions } from './bootstrap.js';
import { percentileInterval } from './quantile.js';
import { Rng } from '../util/rng.js';
import { UserError } from '../util/errors.js';

export interface SeedSummary {
  n: number;
  mean: number;
  /** Sample standard deviation over seeds (0 for a single seed). */
  stdev: number;
  /** Percentile bootstrap interval of the mean over seeds. */
  lower: number;
  upper: number;
  level: number;
}

/**
 * Mean, standard deviation and a seeded percentile-bootstrap interval of the mean of a metric
 * over a handful of training seeds (the report's "EER over 3 seeds"). With so few values the
 * interval is rough (it can be no wider than the values' range); it is reported as such.
 */
export function summarizeOverSeeds(values: ArrayLike<number>, options: BootstrapOptions = {}): SeedSummary {
  const { iterations, seed, level } = resolveBootstrapOptions({ iterations: 10_000, ...options });
  const data = Array.from(values);
  if (data.length === 0) throw new UserError('summarizeOverSeeds: no values; give the metric of at least one seed.');
  for (const [i, v] of data.entries()) {
    if (!Number.isFinite(v)) throw new UserError(`summarizeOverSeeds: value ${i} is ${String(v)}; every seed's metric must be a finite number.`);
  }
  const rng = Rng.fromLabels('metrics.seed-bootstrap', seed);
  const means = new Float64Array(iterations);
  for (let r = 0; r < iterations; r++) {
    let sum = 0;
    for (let i = 0; i < data.length; i++) sum += data[rng.int(data.length)] as number;
    means[r] = sum / data.length;
  }
  return { n: data.length, mean: mean(data), stdev: stdev(data), ...percentileInterval(means, level), level };
}
