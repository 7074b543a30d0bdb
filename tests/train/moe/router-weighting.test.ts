import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { route } from '../../../src/gates/index.js';
import { mixExperts } from '../../../src/train/moe/index.js';
import { initBackend } from '../../../src/nn/backend.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('probability mixing under router weighting', () => {
  it('is sum_i w_i p_i plus the unrouted mass at chance, a proper distribution', () => {
    const gateLogits = tf.tensor2d([[2, 0.5, -1], [0, 0, 3]]);
    const expertLogits = [tf.tensor2d([[1, 3], [0, -2]]), tf.tensor2d([[-1, 1], [2, 2]]), tf.tensor2d([[0, 0], [4, 1]])];
    const routed = route(gateLogits, { mode: 'topk', k: 1 }, { training: false });
    const { logProbs } = mixExperts(expertLogits, routed, 'prob');
    const probs = tf.exp(logProbs).arraySync() as number[][];
    const weights = routed.weights.arraySync() as number[][];
    const experts = expertLogits.map((l) => tf.softmax(l).arraySync() as number[][]);
    probs.forEach((row, b) => {
      const w = weights[b] as number[];
      const rest = 1 - w.reduce((a, v) => a + v, 0);
      expect(rest).toBeGreaterThan(0.05);
      row.forEach((p, c) => {
        const expected = w.reduce((sum, wi, i) => sum + wi * (experts[i]?.[b]?.[c] as number), 0) + rest * 0.5;
        expect(p).toBeCloseTo(expected, 5);
      });
      expect(row[0]! + row[1]!).toBeCloseTo(1, 5);
    });
    tf.dispose([gateLogits, ...expertLogits, routed.weights, routed.logWeights, routed.selected, routed.probs, routed.logRest as tf.Tensor, logProbs]);
  });
});
