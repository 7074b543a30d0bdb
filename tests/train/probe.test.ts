import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/cli.js';
import { probeFeatures } from '../../src/train/probe/features.js';
import { fitLogistic, logisticScore } from '../../src/train/probe/logistic.js';

interface Reference {
  features: Array<{ name: string; sampleRate: number; int16: number[]; features: number[] }>;
  logistic: { x: number[][]; y: number[]; l2: number; weights: number[]; mean: number[]; scale: number[] };
}

// numpy's own computation of the same definitions (scripts/probe-reference.py).
const reference = JSON.parse(readFileSync(join(repoRoot, 'tests', 'fixtures', 'probe', 'reference.json'), 'utf8')) as Reference;

describe('shortcut probe features against numpy', () => {
  for (const c of reference.features) {
    it(c.name, () => {
      const samples = Float32Array.from(c.int16, (v) => v / 32768);
      const [duration, rmsDb, silence, centroid] = probeFeatures(samples, c.sampleRate) as [number, number, number, number];
      const [rDuration, rRmsDb, rSilence, rCentroid] = c.features as [number, number, number, number];
      expect(duration).toBeCloseTo(rDuration, 12);
      expect(rmsDb).toBeCloseTo(rRmsDb, 9);
      expect(silence).toBeCloseTo(rSilence, 12);
      expect(Math.abs(centroid - rCentroid)).toBeLessThan(1e-6 * Math.max(1, rCentroid));
    });
  }

  it('the hand-made signals say what they were made to say', () => {
    const byName = new Map(reference.features.map((c) => [c.name, probeFeatures(Float32Array.from(c.int16, (v) => v / 32768), c.sampleRate)]));
    // 0.1 s of zeros before the tones; a pure 300 Hz ramp has its centroid at 300 Hz.
    expect(byName.get('silence-then-tones')?.[2]).toBeCloseTo(0.1, 12);
    expect(byName.get('no-silence')?.[2]).toBe(0);
    expect(byName.get('no-silence')?.[3]).toBeCloseTo(300, 2);
    expect(byName.get('digital-silence')).toEqual([0.025, -100, 0.025, 0]);
  });
});

describe('shortcut probe logistic regression', () => {
  it('reaches the same optimum as numpy Newton steps', () => {
    const { x, y, l2 } = reference.logistic;
    const model = fitLogistic(x, y, { l2 });
    model.mean.forEach((m, j) => expect(m).toBeCloseTo(reference.logistic.mean[j] as number, 9));
    model.scale.forEach((s, j) => expect(s).toBeCloseTo(reference.logistic.scale[j] as number, 9));
    model.weights.forEach((w, j) => expect(w).toBeCloseTo(reference.logistic.weights[j] as number, 8));
  });

  it('scores the class it learnt higher, and is the same fit every time', () => {
    const x = [[1], [2], [3], [4], [2.5], [1.5]];
    const y = [0, 0, 1, 1, 1, 0];
    const model = fitLogistic(x, y);
    expect(logisticScore(model, [4])).toBeGreaterThan(logisticScore(model, [1]));
    expect(fitLogistic(x, y)).toEqual(model);
  });

  it('survives a constant feature and a single class', () => {
    const model = fitLogistic([[1, 5], [2, 5], [3, 5]], [1, 1, 1]);
    expect(model.weights.every(Number.isFinite)).toBe(true);
    expect(logisticScore(model, [2, 5])).toBeGreaterThan(0);
  });
});
