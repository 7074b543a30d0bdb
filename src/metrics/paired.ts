import { resolveBootstrapOptions, type BootstrapOptions } from './bootstrap.js';
import { resolveMetric, type MetricName, type SortedMetric } from './detection.js';
import { percentileInterval } from './quantile.js';
import { drawCounts, expandSorted } from './resample.js';
import { sortByClass, type BonafideFlags } from './score-set.js';
import { Rng } from '../util/rng.js';
import { UserError } from '../util/errors.js';

export interface PairedBootstrapResult {
  /** Metric of system A and of system B on all items. */
  a: number;
  b: number;
  /** a - b on all items (for EER, negative means A is better). */
  diff: number;
  /** Percentile interval of the replicated differences. */
  interval: { lower: number; upper: number; level: number };
  /**
   * Two-sided bootstrap p-value for "no difference": twice the smaller share of replicated
   * differences on either side of zero, with the +1 correction ((count + 1) / (iterations + 1))
   * so it is never exactly 0, capped at 1.
   */
  pValue: number;
  iterations: number;
  seed: number;
}

/**
 * Paired bootstrap comparison of two score sets on the same items (same order, same labels):
 * each replicate redraws the items (stratified by class, as bootstrapInterval) and evaluates
 * both systems on the SAME draw, so the item difficulty they share cancels out of the
 * difference. Each system's class is sorted once; a replicate is rebuilt in sorted order from
 * per-item draw counts, in O(n) without sorting.
 */
export function pairedBootstrapTest(
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  isBonafide: BonafideFlags,
  options: BootstrapOptions & { metric?: MetricName | SortedMetric } = {},
): PairedBootstrapResult {
  if (scoresA.length !== scoresB.length) {
    throw new UserError(`pairedBootstrapTest: system A has ${scoresA.length} scores and B ${scoresB.length}; both must score the same items.`);
  }
  const { iterations, seed, level } = resolveBootstrapOptions(options);
  const compute = resolveMetric(options.metric ?? 'eer');
  const a = compute(sortByClass(scoresA, isBonafide, 'system A'));
  const b = compute(sortByClass(scoresB, isBonafide, 'system B'));

  const classes = [true, false].map((bonafide) => {
    const items: number[] = [];
    for (let i = 0; i < isBonafide.length; i++) if (Boolean(isBonafide[i]) === bonafide) items.push(i);
    const valuesA = Float64Array.from(items, (i) => scoresA[i] as number);
    const valuesB = Float64Array.from(items, (i) => scoresB[i] as number);
    return {
      valuesA,
      valuesB,
      orderA: ascendingOrder(valuesA),
      orderB: ascendingOrder(valuesB),
      counts: new Uint32Array(items.length),
      outA: new Float64Array(items.length),
      outB: new Float64Array(items.length),
    };
  });
  const [bonafide, spoof] = classes as [(typeof classes)[number], (typeof classes)[number]];

  const rng = Rng.fromLabels('metrics.paired-bootstrap', seed);
  const diffs = new Float64Array(iterations);
  let atOrBelowZero = 0;
  let atOrAboveZero = 0;
  for (let r = 0; r < iterations; r++) {
    for (const c of classes) drawCounts(c.counts.length, rng, c.counts);
    for (const c of classes) {
      expandSorted(c.valuesA, c.orderA, c.counts, c.outA);
      expandSorted(c.valuesB, c.orderB, c.counts, c.outB);
    }
    const diff = compute({ bonafide: bonafide.outA, spoof: spoof.outA }) - compute({ bonafide: bonafide.outB, spoof: spoof.outB });
    diffs[r] = diff;
    if (diff <= 0) atOrBelowZero++;
    if (diff >= 0) atOrAboveZero++;
  }
  const tail = (Math.min(atOrBelowZero, atOrAboveZero) + 1) / (iterations + 1);
  return {
    a,
    b,
    diff: a - b,
    interval: { ...percentileInterval(diffs, level), level },
    pValue: Math.min(1, 2 * tail),
    iterations,
    seed,
  };
}

/** Item indices ordered by ascending value (computed once per system and class). */
function ascendingOrder(values: Float64Array): Uint32Array {
  const order = Uint32Array.from({ length: values.length }, (_, i) => i);
  return order.sort((i, j) => (values[i] as number) - (values[j] as number));
}
