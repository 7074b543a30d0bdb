import { describe, expect, it } from 'vitest';
import { aggregateKnownUnknown, detectionMetrics } from '../../src/metrics/index.js';
import { Rng } from '../../src/util/rng.js';

function dataset(name: string, known: boolean, n: number, separation: number, seed: number) {
  const rng = new Rng(seed);
  const labels = Uint8Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));
  const scores = Float64Array.from(labels, (l) => rng.normal() + (l ? separation : 0));
  return { name, known, scores, labels };
}

describe('aggregateKnownUnknown', () => {
  const sets = [
    dataset('asvspoof2019', true, 400, 3, 1),
    dataset('fake-or-real', true, 2000, 2, 2),
    dataset('purdue', false, 300, 1, 3),
    dataset('timit-tts', false, 500, 0.5, 4),
  ];
  const result = aggregateKnownUnknown(sets, { threshold: 0.5 });

  it('reports each dataset with its own metrics', () => {
    expect(result.perDataset.map((d) => [d.name, d.known])).toEqual(sets.map((d) => [d.name, d.known]));
    for (const [i, d] of result.perDataset.entries()) {
      const set = sets[i]!;
      expect(d.metrics).toEqual(detectionMetrics(set.scores, set.labels));
      expect(d.atThreshold?.threshold).toBe(0.5);
    }
  });

  it('averages per-dataset values within known, unknown and all (each domain counts once)', () => {
    const eer = result.perDataset.map((d) => d.metrics.eer);
    expect(result.known?.datasets).toEqual(['asvspoof2019', 'fake-or-real']);
    expect(result.known?.mean.eer).toBeCloseTo((eer[0]! + eer[1]!) / 2, 15);
    expect(result.unknown?.mean.eer).toBeCloseTo((eer[2]! + eer[3]!) / 2, 15);
    expect(result.all.mean.eer).toBeCloseTo(eer.reduce((a, b) => a + b) / 4, 15);
    const ba = result.perDataset.map((d) => d.atThreshold!.balancedAccuracy);
    expect(result.all.mean.balancedAccuracy).toBeCloseTo(ba.reduce((a, b) => a + b) / 4, 15);
  });

  it('also pools all trials of a group into one score set', () => {
    const unknown = sets.filter((d) => !d.known);
    const scores = Float64Array.from(unknown.flatMap((d) => [...d.scores]));
    const labels = Uint8Array.from(unknown.flatMap((d) => [...d.labels]));
    expect(result.unknown?.pooled).toEqual(detectionMetrics(scores, labels));
    // Pooling weighs the large, easy fake-or-real set more than the mean of EERs does.
    expect(result.all.pooled.eer).not.toBeCloseTo(result.all.mean.eer, 3);
  });

  it('leaves a group out when no dataset belongs to it, and refuses duplicate names', () => {
    expect(aggregateKnownUnknown([sets[0]!]).unknown).toBeNull();
    expect(() => aggregateKnownUnknown([sets[0]!, sets[0]!])).toThrow(/appears twice/);
  });
});
