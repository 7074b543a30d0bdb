import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { balanceLoss, cv2, cv2Loss, route, switchLoss } from '../../src/gates/index.js';
import { initBackend } from '../../src/nn/backend.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const value = (t: tf.Tensor): number => {
  const v = t.dataSync()[0] as number;
  t.dispose();
  return v;
};

describe('balancing losses', () => {
  it('cv2 is the unbiased variance over the squared mean', () => {
    const x = [1, 2, 3, 6];
    const mean = 3;
    const variance = (4 + 1 + 0 + 9) / 3;
    const t = tf.tensor1d(x);
    expect(value(cv2(t))).toBeCloseTo(variance / mean ** 2, 6);
    t.dispose();
  });

  it('both are minimal for uniform routing and grow with imbalance', () => {
    const batch = 12;
    const experts = 3;
    // Uniform: every expert gets the same weight mass and the same number of items.
    const uniformWeights = tf.fill([batch, experts], 1 / experts) as tf.Tensor2D;
    const roundRobin = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % experts), 'int32'), experts).toFloat() as tf.Tensor2D;
    expect(value(cv2Loss(uniformWeights, tf.onesLike(uniformWeights)))).toBe(0);
    expect(value(switchLoss(uniformWeights, roundRobin))).toBeCloseTo(1, 6);

    // Skewed: expert 0 gets most weight and most items.
    const skewedProbs = tf.tensor2d(Array.from({ length: batch }, () => [0.7, 0.2, 0.1])) as tf.Tensor2D;
    const allToZero = tf.oneHot(tf.zeros([batch], 'int32') as tf.Tensor1D, experts).toFloat() as tf.Tensor2D;
    const skewedCv2 = value(cv2Loss(skewedProbs, allToZero));
    // By hand: importance [8.4, 2.4, 1.2] and load [12, 0, 0].
    const cv = (v: number[]): number => {
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1) / m ** 2;
    };
    expect(skewedCv2).toBeCloseTo(cv([8.4, 2.4, 1.2]) + cv([12, 0, 0]), 4);
    expect(skewedCv2).toBeGreaterThan(0.5);
    // N * sum f_i P_i = 3 * (1 * 0.7) = 2.1.
    expect(value(switchLoss(skewedProbs, allToZero))).toBeCloseTo(2.1, 5);
    tf.dispose([uniformWeights, roundRobin, skewedProbs, allToZero]);
  });

  it('balanceLoss reads the routing: under soft routing the Switch loss counts each item for its top-1 expert', () => {
    const logits = tf.tensor2d([
      [2, 0, 0],
      [0, 2, 0],
      [0, 0, 2],
    ]) as tf.Tensor2D;
    const soft = route(logits, { mode: 'soft' }, { training: false });
    // Each expert is the top-1 of one item and the mean probabilities are equal: exactly 1.
    expect(value(balanceLoss('switch', soft, 'soft'))).toBeCloseTo(1, 6);
    expect(value(balanceLoss('cv2', soft, 'soft'))).toBeCloseTo(0, 6);
    expect(value(balanceLoss('none', soft, 'soft'))).toBe(0);
    tf.dispose([logits, soft.weights, soft.logWeights, soft.selected, soft.probs]);
  });

  it('their gradient pushes a skewed router towards uniform', () => {
    const logits = tf.variable(tf.tensor2d(Array.from({ length: 8 }, (_, i) => [1.5 + 0.1 * i, 0, -1])));
    const spread = (): number => {
      const probs = tf.softmax(logits).mean(0);
      const range = tf.sub(probs.max(), probs.min());
      const v = value(range);
      probs.dispose();
      return v;
    };
    const start = spread();
    const optimizer = tf.train.sgd(0.5);
    for (let step = 0; step < 50; step++) {
      optimizer.minimize(() => balanceLoss('cv2', route(logits as unknown as tf.Tensor2D, { mode: 'soft' }, { training: true }), 'soft'));
    }
    expect(spread()).toBeLessThan(start / 4);
    logits.dispose();
    optimizer.dispose();
  });
});
