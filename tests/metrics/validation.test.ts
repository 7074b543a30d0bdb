import { describe, expect, it } from 'vitest';
import { balancedAccuracy, detectionMetrics, ratesAtThreshold, sourceAveragedBalancedAccuracy } from '../../src/metrics/index.js';
import { isUserError } from '../../src/util/errors.js';

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('detection metrics: input checks', () => {
  it('refuses NaN and infinite scores with a UserError naming the position', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const error = thrown(() => detectionMetrics([0.1, bad, 0.3, 0.4], [1, 0, 1, 0]));
      expect(isUserError(error)).toBe(true);
      expect(error.message).toContain('score 1 is');
      expect(error.message).toContain('NaN and infinite scores are refused');
    }
  });

  it('refuses a single class and mismatched lengths', () => {
    expect(thrown(() => detectionMetrics([0.1, 0.2, 0.3], [1, 1, 1])).message).toContain('only bona fide trials (3)');
    expect(thrown(() => detectionMetrics([0.1, 0.2, 0.3], [0, 0, 0])).message).toContain('only spoof trials (3)');
    expect(thrown(() => detectionMetrics([0.1, 0.2], [1])).message).toContain('2 scores but 1 labels');
  });
});

describe('detection metrics: limiting cases', () => {
  it('perfect separation: EER 0, AUC 1, minDCF 0', () => {
    const m = detectionMetrics([3, 4, 5, -1, -2, -3], [1, 1, 1, 0, 0, 0]);
    expect(m.eer).toBe(0);
    expect(m.auc).toBe(1);
    expect(m.minDcf).toBe(0);
    // Threshold at the highest spoof score: everything above it is bona fide.
    expect(m.eerThreshold).toBe(-1);
  });

  it('inverted scores: EER 1, AUC 0', () => {
    const m = detectionMetrics([-3, -4, -5, 1, 2, 3], [1, 1, 1, 0, 0, 0]);
    expect(m.eer).toBe(1);
    expect(m.auc).toBe(0);
  });

  it('all scores tied: AUC 0.5, and the eval package EER of 1 (its stable-sort quirk)', () => {
    // Order [b, b, s, s]: FRR = [0, .5, 1, 1, 1], FAR = [1, 1, 1, .5, 0]; the first point with
    // |FRR - FAR| = 0 is FRR = FAR = 1. numpy's compute_eer returns (1.0, 1.0) here too.
    const m = detectionMetrics([1, 1, 1, 1], [1, 0, 1, 0]);
    expect(m.auc).toBe(0.5);
    expect(m.eer).toBe(1);
    expect(m.eerThreshold).toBe(1);
  });

  it('actDCF reads scores as LLRs: probabilities in [0, 1] all sit above -ln(1.9)', () => {
    // Every score >= -0.642, so every spoof is accepted: Pfa = 1, Pmiss = 0,
    // actDCF = Cfa * Pspoof / min(Cfa * Pspoof, Cmiss * (1 - Pspoof)) = 0.5 / 0.5 = 1.
    const m = detectionMetrics([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0]);
    expect(m.actDcfThreshold).toBeCloseTo(-Math.log(1.9), 15);
    expect(m.actDcf).toBe(1);
  });

  it('Cllr is 1 bit for uninformative LLRs of 0 and falls below 1 for informative ones', () => {
    expect(detectionMetrics([0, 0, 0, 0], [1, 0, 1, 0]).cllr).toBeCloseTo(1, 15);
    expect(detectionMetrics([4, 5, -4, -5], [1, 1, 0, 0]).cllr).toBeLessThan(0.05);
  });
});

describe('rates at a fixed threshold', () => {
  it('calls bona fide at score >= threshold, as actDCF does', () => {
    const rates = ratesAtThreshold([0.5, 0.7, 0.2, 0.5, 0.1], [1, 1, 1, 0, 0], 0.5);
    expect(rates.tpr).toBeCloseTo(2 / 3, 15);
    expect(rates.tnr).toBe(0.5);
    expect(rates.fpr).toBe(0.5);
    expect(rates.balancedAccuracy).toBeCloseTo((2 / 3 + 0.5) / 2, 15);
    expect(rates.accuracy).toBe(3 / 5);
    expect(balancedAccuracy([0.5, 0.7, 0.2, 0.5, 0.1], [1, 1, 1, 0, 0], 0.5)).toBe(rates.balancedAccuracy);
  });
});

describe('SAFE source-averaged balanced accuracy', () => {
  it('weighs each source once, whatever its size', () => {
    // Pristine: source A 1/1 right, source B 0/3 right -> mean 0.5 (plain recall would be 0.25).
    // Generated: source X 2/2 right -> 1.
    const calls = [1, 0, 0, 0, 0, 0];
    const labels = [1, 1, 1, 1, 0, 0];
    const sources = ['A', 'B', 'B', 'B', 'X', 'X'];
    const safe = sourceAveragedBalancedAccuracy(calls, labels, sources);
    expect(safe.pristine).toBe(0.5);
    expect(safe.generated).toBe(1);
    expect(safe.value).toBe(0.75);
    expect(safe.perSource.map((s) => [s.source, s.n, s.accuracy])).toEqual([
      ['A', 1, 1],
      ['B', 3, 0],
      ['X', 2, 1],
    ]);
  });

  it('needs both kinds of source', () => {
    expect(thrown(() => sourceAveragedBalancedAccuracy([1, 0], [1, 1], ['A', 'B'])).message).toContain('no generated (spoof) trials');
  });
});
