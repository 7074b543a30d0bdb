import { NAMED_METRICS, sortByClass, type MetricName } from '../../metrics/index.js';
import { resolveMetric } from '../../metrics/detection.js';
import { eerOfSorted } from '../../metrics/eer-merged.js';
import { percentileInterval } from '../../metrics/quantile.js';
import { drawCounts, expandSorted } from '../../metrics/resample.js';
import { Rng } from '../../util/rng.js';

/** One trial's scores on one evaluation set, item by item (1 = bona fide). */
export interface ItemScores {
  ids: string[];
  scores: ArrayLike<number>;
  bonafide: ArrayLike<number>;
}

/** Where per-item scores come from: the store's score files (item-scores.ts) or, in tests, anything. */
export type ItemScoreSource = (trialId: string, dataset: string) => Promise<ItemScores | null>;

export interface ItemLevelComparison {
  /** (configuration pair, seed, set) pairs whose two trials both have per-item scores. */
  pairs: number;
  /** Of all the comparison's pairs. */
  of: number;
  /** Items scored by both trials, summed over those pairs. */
  items: number;
  /** Mean over those pairs of the metric difference A - B on their shared items. */
  meanDiff: number;
  /** Two-level percentile bootstrap: (configuration pair, seed) units, then the same items for A and B within each set. */
  interval: { lower: number; upper: number; level: number };
  /**
   * Two-sided bootstrap p-value for "no difference" (as pairedBootstrapTest): twice the
   * smaller share of replicates on either side of zero, (count + 1) / (iterations + 1), capped at 1.
   */
  pValue: number;
  iterations: number;
}

interface Unit {
  cluster: string;
  classes: Array<{ a: Float64Array; b: Float64Array; orderA: Uint32Array; orderB: Uint32Array; counts: Uint32Array; outA: Float64Array; outB: Float64Array }>;
  diff: number;
}

/**
 * The comparison again at the level of items: for each pair whose two trials both left
 * per-item scores, the items both scored, each replicate drawing (configuration pair, seed)
 * units with replacement and, within each of their sets, one stratified draw of items
 * shared by A and B (so item difficulty cancels as seed and set do). Null when no pair has
 * item scores for both sides (the set-level comparison then stands alone).
 */
/** What the item-level comparison reads of a set-level comparison (compare.ts's PairedComparison has it). */
export interface TrialPairs {
  metric: string;
  pairs: ReadonlyArray<{ configurationA: string; trialA: string; trialB: string; seed: number; dataset: string }>;
}

export async function itemLevelComparison(
  comparison: TrialPairs,
  source: ItemScoreSource,
  options: { iterations?: number; seed?: number; budget?: number; minIterations?: number } = {},
): Promise<ItemLevelComparison | null> {
  if (!(comparison.metric in NAMED_METRICS)) return null;
  // The fused EER: bit-identical, without the allocations of a merge per replicate.
  const compute = comparison.metric === 'eer' ? eerOfSorted : resolveMetric(comparison.metric as MetricName);
  const units: Unit[] = [];
  let items = 0;
  for (const pair of comparison.pairs) {
    const [a, b] = await Promise.all([source(pair.trialA, pair.dataset), source(pair.trialB, pair.dataset)]);
    if (!a || !b) continue;
    const indexB = new Map(b.ids.map((id, i) => [id, i]));
    const shared = a.ids.flatMap((id, i) => {
      const j = indexB.get(id);
      return j === undefined ? [] : [[i, j] as const];
    });
    const classes = [1, 0].map((label) => {
      const rows = shared.filter(([i]) => Number(a.bonafide[i]) === label);
      const va = Float64Array.from(rows, ([i]) => a.scores[i] as number);
      const vb = Float64Array.from(rows, ([, j]) => b.scores[j] as number);
      return { a: va, b: vb, orderA: ascending(va), orderB: ascending(vb), counts: new Uint32Array(rows.length), outA: new Float64Array(rows.length), outB: new Float64Array(rows.length) };
    });
    // Both classes are needed for a detection metric.
    if (classes.some((c) => c.a.length === 0)) continue;
    const flags = shared.map(([i]) => Number(a.bonafide[i]));
    const diff = compute(sortByClass(shared.map(([i]) => a.scores[i] as number), flags)) - compute(sortByClass(shared.map(([, j]) => b.scores[j] as number), flags));
    units.push({ cluster: `${pair.configurationA}\u0000${pair.seed}`, classes, diff });
    items += shared.length;
  }
  if (units.length === 0) return null;
  const clusters = [...new Set(units.map((u) => u.cluster))].map((c) => units.filter((u) => u.cluster === c));
  // A budget of item scores resampled (the report's, over dozens of comparisons) caps the
  // replicates; below minIterations the interval would be too rough, so none is given.
  const perIteration = units.reduce((n, u) => n + u.classes.reduce((m, c) => m + c.a.length, 0), 0);
  const iterations = Math.min(options.iterations ?? 2000, options.budget === undefined ? Infinity : Math.floor(options.budget / perIteration));
  if (iterations < (options.minIterations ?? 1)) return null;
  const rng = Rng.fromLabels('report.compare-items', options.seed ?? 0);
  const replicates = new Float64Array(iterations);
  for (let r = 0; r < iterations; r++) {
    let total = 0;
    let count = 0;
    for (let k = 0; k < clusters.length; k++) {
      for (const unit of clusters[rng.int(clusters.length)] as Unit[]) {
        for (const c of unit.classes) {
          drawCounts(c.counts.length, rng, c.counts);
          expandSorted(c.a, c.orderA, c.counts, c.outA);
          expandSorted(c.b, c.orderB, c.counts, c.outB);
        }
        const [bona, spoof] = unit.classes as [Unit['classes'][number], Unit['classes'][number]];
        total += compute({ bonafide: bona.outA, spoof: spoof.outA }) - compute({ bonafide: bona.outB, spoof: spoof.outB });
        count++;
      }
    }
    replicates[r] = total / count;
  }
  const level = 0.95;
  let below = 0;
  let above = 0;
  for (const d of replicates) {
    if (d <= 0) below++;
    if (d >= 0) above++;
  }
  return {
    pairs: units.length,
    of: comparison.pairs.length,
    items,
    meanDiff: units.reduce((s, u) => s + u.diff, 0) / units.length,
    interval: { ...percentileInterval(replicates, level), level },
    pValue: Math.min(1, (2 * (Math.min(below, above) + 1)) / (iterations + 1)),
    iterations,
  };
}

function ascending(values: Float64Array): Uint32Array {
  return Uint32Array.from({ length: values.length }, (_, i) => i).sort((i, j) => (values[i] as number) - (values[j] as number));
}
