import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveRoutingConfig, route } from '../../src/gates/index.js';
import { initBackend } from '../../src/nn/backend.js';
import { isUserError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';

beforeAll(async () => {
  await initBackend('wasm');
});

function randomLogits(batch: number, experts: number, seed: number, scale = 2): tf.Tensor2D {
  const rng = new Rng(seed);
  return tf.tensor2d(Float32Array.from({ length: batch * experts }, () => scale * rng.normal()), [batch, experts]);
}

function rows(t: tf.Tensor): number[][] {
  return t.arraySync() as number[][];
}

describe('route', () => {
  it('soft: a softmax over all experts, every row summing to 1', () => {
    const logits = randomLogits(16, 4, 1);
    const before = tf.memory().numTensors;
    const routed = route(logits, { mode: 'soft' }, { training: true });
    const l = rows(logits);
    rows(routed.weights).forEach((row, b) => {
      expect(row.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 6);
      const z = l[b] as number[];
      const total = z.reduce((a, v) => a + Math.exp(v), 0);
      row.forEach((w, i) => expect(w).toBeCloseTo(Math.exp(z[i] as number) / total, 6));
    });
    expect(rows(routed.selected).flat().every((v) => v === 1)).toBe(true);
    tf.dispose([routed.weights, routed.logWeights, routed.selected, routed.probs]);
    expect(tf.memory().numTensors).toBe(before);
    logits.dispose();
  });

  for (const k of [1, 2, 3]) {
    it(`top-${k}: exactly ${k} non-zero weights per item, on the ${k} largest logits, renormalised among them`, () => {
      const logits = randomLogits(32, 5, 10 + k);
      const routed = route(logits, { mode: 'topk', k, weighting: 'renormalized' }, { training: true });
      const l = rows(logits);
      rows(routed.weights).forEach((row, b) => {
        const z = l[b] as number[];
        const chosen = z.map((v, i) => [v, i] as const).sort((p, q) => q[0] - p[0]).slice(0, k).map(([, i]) => i);
        expect(row.filter((w) => w !== 0)).toHaveLength(k);
        const total = chosen.reduce((a, i) => a + Math.exp(z[i] as number), 0);
        row.forEach((w, i) => {
          if (chosen.includes(i)) expect(w).toBeCloseTo(Math.exp(z[i] as number) / total, 6);
          else expect(w).toBe(0);
        });
      });
      expect(rows(routed.selected).map((r) => r.reduce((a, v) => a + v, 0))).toEqual(new Array(32).fill(k));
      tf.dispose([logits, routed.weights, routed.logWeights, routed.selected, routed.probs]);
    });
  }

  it('top-k breaks ties by index and still selects exactly k', () => {
    const logits = tf.tensor2d([[1, 1, 1, 1], [0, 2, 2, 0]]);
    const routed = route(logits, { mode: 'topk', k: 2, weighting: 'renormalized' }, { training: false });
    expect(rows(routed.selected)).toEqual([[1, 1, 0, 0], [0, 1, 1, 0]]);
    expect(rows(routed.weights)).toEqual([[0.5, 0.5, 0, 0], [0, 0.5, 0.5, 0]]);
    tf.dispose([logits, routed.weights, routed.logWeights, routed.selected, routed.probs]);
  });

  it('top-k sends no gradient to the logits of unselected experts', () => {
    const logits = randomLogits(8, 4, 3);
    // Distinct targets per expert, so every selected weight moves the sum.
    const target = tf.tensor2d(Float32Array.from({ length: 32 }, (_, i) => (i % 4) + 0.1 * Math.floor(i / 4)), [8, 4]);
    const gradient = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(route(z as tf.Tensor2D, { mode: 'topk', k: 2, weighting: 'renormalized' }, { training: true }).weights, target)))(logits);
    const selected = rows(route(logits, { mode: 'topk', k: 2 }, { training: true }).selected);
    rows(gradient).forEach((row, b) => row.forEach((g, i) => (selected[b]?.[i] === 1 ? expect(Math.abs(g)).toBeGreaterThan(0) : expect(g).toBe(0))));
    tf.dispose([logits, target, gradient]);
  });

  it('router weighting (default): selected experts keep their full-softmax probability, the rest of the mass is logRest', () => {
    const logits = randomLogits(32, 4, 21);
    const routed = route(logits, { mode: 'topk', k: 1 }, { training: true });
    const l = rows(logits);
    const rest = routed.logRest?.arraySync() as number[];
    rows(routed.weights).forEach((row, b) => {
      const z = l[b] as number[];
      const total = z.reduce((a, v) => a + Math.exp(v), 0);
      const best = z.indexOf(Math.max(...z));
      row.forEach((w, i) => (i === best ? expect(w).toBeCloseTo(Math.exp(z[i] as number) / total, 6) : expect(w).toBe(0)));
      expect(Math.exp(rest[b] as number)).toBeCloseTo(1 - (row[best] as number), 5);
    });
    tf.dispose([logits, routed.weights, routed.logWeights, routed.selected, routed.probs, routed.logRest as tf.Tensor]);
  });

  it('router weighting gives a top-1 gate a gradient through the weights; renormalised top-1 gives none', () => {
    const logits = randomLogits(8, 3, 22);
    const objective = (weighting: 'router' | 'renormalized') => (z: tf.Tensor) => tf.sum(route(z as tf.Tensor2D, { mode: 'topk', k: 1, weighting }, { training: true }).weights);
    const router = tf.grad(objective('router'))(logits);
    const renormalized = tf.grad(objective('renormalized'))(logits);
    expect(Math.max(...(router.dataSync() as Float32Array).map(Math.abs))).toBeGreaterThan(1e-3);
    expect(Math.max(...(renormalized.dataSync() as Float32Array).map(Math.abs))).toBe(0);
    tf.dispose([logits, router, renormalized]);
  });

  it('noisy top-k: reproducible from its seed, different across seeds, noise-free in inference', () => {
    const logits = randomLogits(64, 4, 5, 0.3);
    const noiseStd = tf.fill([64, 4], 1) as tf.Tensor2D;
    const draw = (seed: number, training = true): number[][] => {
      const routed = route(logits, { mode: 'noisy-topk', k: 1 }, { training, noiseStd, noiseSeed: seed });
      const weights = rows(routed.weights);
      tf.dispose([routed.weights, routed.logWeights, routed.selected, routed.probs]);
      return weights;
    };
    const clean = route(logits, { mode: 'topk', k: 1 }, { training: false });
    const cleanWeights = rows(clean.weights);
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    // Noise of std 1 on logits 0.3 apart changes many selections.
    expect(draw(42)).not.toEqual(cleanWeights);
    for (const row of draw(42)) expect(row.filter((w) => w !== 0)).toHaveLength(1);
    expect(draw(42, false)).toEqual(cleanWeights);
    expect(() => route(logits, { mode: 'noisy-topk', k: 1 }, { training: true, noiseSeed: 1 })).toThrow(/noise scale/);
    tf.dispose([logits, noiseStd, clean.weights, clean.logWeights, clean.selected, clean.probs]);
  });
});

describe('resolveRoutingConfig', () => {
  it('fills the schema defaults and refuses k above the number of experts', () => {
    expect(resolveRoutingConfig({}, 3)).toEqual({ mode: 'soft', balance: 'none', balanceWeight: 0.01 });
    expect(resolveRoutingConfig({ mode: 'topk' }, 3)).toEqual({ mode: 'topk', k: 1, weighting: 'router', balance: 'none', balanceWeight: 0.01 });
    let error: unknown = null;
    try {
      resolveRoutingConfig({ mode: 'topk', k: 4 }, 3, 'trials[2].routing');
    } catch (e) {
      error = e;
    }
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^trials\[2\]\.routing\.k: expected at most the number of experts \(3\), got 4/);
  });
});
