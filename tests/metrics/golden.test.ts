import { describe, expect, it } from 'vitest';
import { detectionMetrics, eerAndAuc } from '../../src/metrics/index.js';
import { loadGolden, pooled } from './fixtures.js';

// shared/golden/metrics.json: EER and threshold from the ASVspoof eval package's compute_eer,
// AUC from scikit-learn. Cases include heavy ties (scores rounded to one decimal).
describe('golden metrics (ASVspoof eval package EER, sklearn AUC)', () => {
  const cases = loadGolden();

  it('has the four shared cases', () => {
    expect(cases).toHaveLength(4);
  });

  it.each(cases.map((c, i) => [i, c] as const))('case %i: EER and its threshold are bit-identical, AUC within 1e-9', (_, c) => {
    const { scores, labels } = pooled(c);
    const m = detectionMetrics(scores, labels);
    expect(m.eer).toBe(c.eer);
    expect(m.eerThreshold).toBe(c.eer_threshold);
    expect(Math.abs(m.auc - c.auc)).toBeLessThanOrEqual(1e-9);
    expect(m.nBonafide).toBe(c.bonafide.length);
    expect(m.nSpoof).toBe(c.spoof.length);
  });

  it.each(cases.map((c, i) => [i, c] as const))('case %i: the order of trials does not matter (stable-sort tie rule)', (_, c) => {
    // Interleave and reverse: the eval package's result depends only on the label order among
    // ties (bona fide first), which the merge reproduces whatever the input order.
    const items = [...c.bonafide.map((s) => [s, 1] as const), ...c.spoof.map((s) => [s, 0] as const)].reverse();
    const scores = items.map(([s]) => s);
    const labels = items.map(([, l]) => l);
    const m = eerAndAuc(scores, labels);
    expect(m.eer).toBe(c.eer);
    expect(m.eerThreshold).toBe(c.eer_threshold);
    expect(Math.abs(m.auc - c.auc)).toBeLessThanOrEqual(1e-9);
  });
});
