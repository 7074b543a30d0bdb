import { describe, expect, it } from 'vitest';
import { bootstrapInterval, detectionMetrics, pairedBootstrapTest, quantileSorted, summarizeOverSeeds } from '../../src/metrics/index.js';
import { Rng } from '../../src/util/rng.js';

/** A synthetic score set: bona fide ~ N(separation, 1), spoof ~ N(0, 1). */
function synthetic(n: number, separation: number, seed: number): { scores: Float64Array; labels: Uint8Array } {
  const rng = new Rng(seed);
  const scores = new Float64Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 3 === 0 ? 1 : 0;
    scores[i] = rng.normal() + (labels[i] ? separation : 0);
  }
  return { scores, labels };
}

describe('bootstrapInterval', () => {
  const { scores, labels } = synthetic(900, 1.5, 1);

  it('is reproducible from its seed and changes with it', () => {
    const a = bootstrapInterval(scores, labels, 'eer', { iterations: 300, seed: 7 });
    const b = bootstrapInterval(scores, labels, 'eer', { iterations: 300, seed: 7 });
    const c = bootstrapInterval(scores, labels, 'eer', { iterations: 300, seed: 8 });
    expect(b).toEqual(a);
    expect([c.lower, c.upper]).not.toEqual([a.lower, a.upper]);
  });

  it('brackets the full-set estimate and narrows with more trials', () => {
    const small = synthetic(300, 1.5, 2);
    const large = synthetic(3000, 1.5, 2);
    for (const metric of ['eer', 'auc'] as const) {
      const narrow = bootstrapInterval(large.scores, large.labels, metric, { iterations: 300, seed: 1 });
      const wide = bootstrapInterval(small.scores, small.labels, metric, { iterations: 300, seed: 1 });
      expect(narrow.lower).toBeLessThanOrEqual(narrow.estimate);
      expect(narrow.upper).toBeGreaterThanOrEqual(narrow.estimate);
      expect(narrow.upper - narrow.lower).toBeLessThan(wide.upper - wide.lower);
      expect(narrow.estimate).toBe(detectionMetrics(large.scores, large.labels)[metric]);
    }
  });

  it('covers the population EER at roughly its level', () => {
    // Population EER for N(1.5, 1) vs N(0, 1) is Phi(-0.75) = 0.2266. Over 40 independent
    // test sets a 90% interval should miss it a handful of times, not most of them.
    const populationEer = 0.2266273523768682;
    let covered = 0;
    for (let trial = 0; trial < 40; trial++) {
      const set = synthetic(600, 1.5, 100 + trial);
      const interval = bootstrapInterval(set.scores, set.labels, 'eer', { iterations: 200, seed: trial, level: 0.9 });
      if (interval.lower <= populationEer && populationEer <= interval.upper) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(30);
  });

  it('accepts a custom metric over the sorted classes', () => {
    const medianGap = bootstrapInterval(scores, labels, (s) => quantileSorted(s.bonafide, 0.5) - quantileSorted(s.spoof, 0.5), {
      iterations: 200,
      seed: 3,
    });
    expect(medianGap.estimate).toBeGreaterThan(1);
    expect(medianGap.lower).toBeLessThan(medianGap.estimate);
  });
});

describe('pairedBootstrapTest', () => {
  const { scores, labels } = synthetic(1200, 1.5, 4);

  it('finds no difference between a system and itself', () => {
    const result = pairedBootstrapTest(scores, scores, labels, { iterations: 200, seed: 1 });
    expect(result.diff).toBe(0);
    expect(result.pValue).toBe(1);
    expect(result.interval.lower).toBe(0);
    expect(result.interval.upper).toBe(0);
  });

  it('finds a clearly worse system significantly worse, and says which way', () => {
    const rng = new Rng(9);
    const noisier = Float64Array.from(scores, (s) => s + 1.5 * rng.normal());
    const result = pairedBootstrapTest(noisier, scores, labels, { iterations: 500, seed: 2 });
    expect(result.a).toBe(detectionMetrics(noisier, labels).eer);
    expect(result.b).toBe(detectionMetrics(scores, labels).eer);
    expect(result.diff).toBeGreaterThan(0.05);
    expect(result.interval.lower).toBeGreaterThan(0);
    expect(result.pValue).toBeLessThan(0.01);
  });

  it('does not call a small random perturbation significant', () => {
    const rng = new Rng(10);
    const jittered = Float64Array.from(scores, (s) => s + 0.01 * rng.normal());
    const result = pairedBootstrapTest(jittered, scores, labels, { iterations: 500, seed: 3, metric: 'auc' });
    expect(result.pValue).toBeGreaterThan(0.05);
    expect(result.interval.lower).toBeLessThanOrEqual(0);
    expect(result.interval.upper).toBeGreaterThanOrEqual(0);
  });

  it('is reproducible from its seed', () => {
    const rng = new Rng(11);
    const other = Float64Array.from(scores, (s) => s + 0.5 * rng.normal());
    const a = pairedBootstrapTest(other, scores, labels, { iterations: 100, seed: 5 });
    expect(pairedBootstrapTest(other, scores, labels, { iterations: 100, seed: 5 })).toEqual(a);
  });
});

describe('summarizeOverSeeds', () => {
  it('gives mean, sample stdev and a seeded percentile interval of the mean', () => {
    const values = [0.12, 0.15, 0.11, 0.14, 0.13];
    const summary = summarizeOverSeeds(values, { seed: 1, iterations: 4000 });
    expect(summary.n).toBe(5);
    expect(summary.mean).toBeCloseTo(0.13, 15);
    expect(summary.stdev).toBeCloseTo(Math.sqrt(0.001 / 4), 15);
    expect(summary.lower).toBeGreaterThanOrEqual(0.11);
    expect(summary.lower).toBeLessThan(summary.mean);
    expect(summary.upper).toBeGreaterThan(summary.mean);
    expect(summary.upper).toBeLessThanOrEqual(0.15);
    expect(summarizeOverSeeds(values, { seed: 1, iterations: 4000 })).toEqual(summary);
  });

  it('handles a single seed and refuses non-finite values', () => {
    expect(summarizeOverSeeds([0.2])).toMatchObject({ n: 1, mean: 0.2, stdev: 0, lower: 0.2, upper: 0.2 });
    expect(() => summarizeOverSeeds([0.2, Number.NaN])).toThrow(/value 1 is NaN/);
  });
});

describe('quantileSorted', () => {
  it('interpolates linearly like numpy.percentile', () => {
    // numpy.percentile([1, 2, 4, 8], [0, 25, 50, 90, 100]) = [1, 1.75, 3, 6.8, 8]
    const values = [1, 2, 4, 8];
    expect([0, 0.25, 0.5, 0.9, 1].map((p) => quantileSorted(values, p))).toEqual([1, 1.75, 3, 6.800000000000001, 8]);
  });
});
