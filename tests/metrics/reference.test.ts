import { describe, expect, it } from 'vitest';
import { decide, detectionMetrics, ratesAtThreshold, sourceAveragedBalancedAccuracy } from '../../src/metrics/index.js';
import { loadReference, pooled } from './fixtures.js';

// tests/fixtures/metrics/reference.json comes from scripts/metrics-reference.py (numpy +
// scikit-learn, independent of this TypeScript): minDCF/actDCF with the ASVspoof 5 costs,
// Cllr via numpy.logaddexp, rates via sklearn's recall and balanced_accuracy_score.
const { cases } = loadReference();

function close(actual: number, expected: number, tolerance = 1e-9): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

describe('metrics against the numpy/sklearn reference', () => {
  it('covers the golden cases and its own (ties, probabilities, extremes, the actDCF threshold itself)', () => {
    expect(cases.map((c) => c.name)).toEqual(
      expect.arrayContaining(['golden-0', 'llr-rounded-ties', 'probabilities', 'integer-ties', 'extreme-llr', 'at-actdcf-threshold', 'safe-sources']),
    );
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const { scores, labels } = pooled(c);
    const m = detectionMetrics(scores, labels);
    expect(m.eer).toBe(c.eer);
    expect(m.eerThreshold).toBe(c.eer_threshold);
    close(m.auc, c.auc);
    close(m.minDcf, c.min_dcf);
    expect(m.minDcfThreshold).toBe(c.min_dcf_threshold);
    close(m.actDcf, c.act_dcf);
    expect(m.actDcfThreshold).toBe(c.act_dcf_threshold);
    close(m.cllr, c.cllr);
    expect([m.nBonafide, m.nSpoof]).toEqual([c.n_bonafide, c.n_spoof]);
    if (c.at_threshold) {
      const rates = ratesAtThreshold(scores, labels, c.at_threshold.threshold);
      close(rates.tpr, c.at_threshold.tpr, 1e-12);
      close(rates.tnr, c.at_threshold.tnr, 1e-12);
      close(rates.balancedAccuracy, c.at_threshold.balanced_accuracy, 1e-12);
    }
    if (c.source_averaged && c.bonafide_sources && c.spoof_sources && c.at_threshold) {
      const sources = [...c.bonafide_sources, ...c.spoof_sources];
      const safe = sourceAveragedBalancedAccuracy(decide(scores, c.at_threshold.threshold), labels, sources);
      close(safe.value, c.source_averaged.value, 1e-12);
      close(safe.pristine, c.source_averaged.pristine, 1e-12);
      close(safe.generated, c.source_averaged.generated, 1e-12);
      // Here sources are unbalanced, so the SAFE metric differs from plain balanced accuracy.
      expect(Math.abs(safe.value - c.at_threshold.balanced_accuracy)).toBeGreaterThan(1e-6);
    }
  });

  it('keeps Cllr finite where log1p(exp(x)) overflows (scores of ±800)', () => {
    const extreme = cases.find((c) => c.name === 'extreme-llr');
    expect(extreme).toBeDefined();
    const { scores, labels } = pooled(extreme!);
    expect(Number.isFinite(detectionMetrics(scores, labels).cllr)).toBe(true);
  });
});
