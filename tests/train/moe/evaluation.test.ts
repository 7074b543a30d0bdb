import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/nn/backend.js';
import { Mixture, type MixtureMember, evaluateAverageEnsemble, evaluateGateAblated, evaluateMixture, evaluateUniformCombination, gateUsage } from '../../../src/train/moe/index.js';
import { tinyExperts, toyData } from './support/toy.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const data = toyData(20, 5);

/** Every expert's logits on every item, [expert][item][class], in inference mode. */
function expertLogits(members: MixtureMember[]): number[][][] {
  return members.map(({ expert, input }) => {
    const array = data.inputs[input] as { x: Float32Array; itemShape: number[] };
    const logits = tf.tidy(() => {
      const x = tf.tensor(array.x, [20, ...array.itemShape]);
      const outputs = expert.model.apply(x, { training: false }) as tf.Tensor[];
      return outputs[1] as tf.Tensor;
    });
    const values = logits.arraySync() as number[][];
    logits.dispose();
    return values;
  });
}

const softmax = (z: number[]): number[] => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe('baseline combinations', () => {
  it('the average ensemble scores log of the mean probability ratio, computed by hand', () => {
    const members = tinyExperts(2);
    const before = tf.memory().numTensors;
    const logits = expertLogits(members);
    const result = evaluateAverageEnsemble(members, data, { batchSize: 7 });
    result.scores.forEach((score, item) => {
      const p = [0, 1].map((c) => logits.reduce((a, z) => a + (softmax(z[item] as number[])[c] as number), 0) / members.length);
      expect(score).toBeCloseTo(Math.log(p[1] as number) - Math.log(p[0] as number), 4);
    });
    expect(result.eer).toBeGreaterThanOrEqual(0);
    expect(result.loss).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    members.forEach(({ expert }) => expert.model.dispose());
  });

  it('gate-ablated mixes as its mixture does: mean logits for logit mixing, the ensemble for probability mixing', () => {
    const logitMixture = new Mixture({ experts: tinyExperts(2), gate: { input: 'enhanced' }, moe: { mix: 'logit' }, seed: 1 });
    const logits = expertLogits(logitMixture.members);
    const ablated = evaluateGateAblated(logitMixture, data);
    ablated.scores.forEach((score, item) => {
      const mean = [0, 1].map((c) => logits.reduce((a, z) => a + (z[item]?.[c] as number), 0) / 3);
      expect(score).toBeCloseTo((mean[1] as number) - (mean[0] as number), 4);
    });
    const probMixture = new Mixture({ experts: tinyExperts(2), gate: { input: 'enhanced' }, moe: { mix: 'prob' }, seed: 1 });
    const probAblated = evaluateGateAblated(probMixture, data);
    const ensemble = evaluateUniformCombination(probMixture.members, data, 'prob');
    expect(Array.from(probAblated.scores)).toEqual(Array.from(ensemble.scores));
    // The gate changes the scores: the mixture is not its ablation.
    const withGate = evaluateMixture(probMixture, data);
    expect(Array.from(withGate.scores)).not.toEqual(Array.from(probAblated.scores));
    logitMixture.dispose();
    probMixture.dispose();
  });
});

describe('evaluateMixture', () => {
  it('reports per-item scores, weights and selections, and each expert\'s mean weight and selection rate', () => {
    const mixture = new Mixture({ experts: tinyExperts(4), gate: { type: 'mlp', input: 'standard' }, routing: { mode: 'topk', k: 2, weighting: 'renormalized' }, labelSmoothing: 0.1, seed: 8 });
    const before = tf.memory().numTensors;
    const result = evaluateMixture(mixture, data, { batchSize: 6 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.scores).toHaveLength(20);
    expect(result.weights).toHaveLength(60);
    // Per item: weights sum to 1 over exactly two selected experts.
    for (let item = 0; item < 20; item++) {
      const w = Array.from(result.weights.subarray(item * 3, item * 3 + 3));
      const s = Array.from(result.selected.subarray(item * 3, item * 3 + 3));
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(s.reduce((a, b) => a + b, 0)).toBe(2);
      w.forEach((v, e) => expect(v > 0).toBe(s[e] === 1));
    }
    expect(result.gate.meanWeight.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(result.gate.selectionRate.reduce((a, b) => a + b, 0)).toBeCloseTo(2, 5);
    // Same numbers from the same scores as one batch (the forward pass in blocks changes nothing).
    const whole = evaluateMixture(mixture, data, { batchSize: 20 });
    whole.scores.forEach((s, i) => expect(s).toBeCloseTo(result.scores[i] as number, 4));
    expect(whole.loss).toBeCloseTo(result.loss, 5);
    mixture.dispose();
  });

  it('gateUsage averages over items', () => {
    const usage = gateUsage(Float32Array.from([1, 0, 0.25, 0.75]), Uint8Array.from([1, 0, 1, 1]), 2);
    expect(usage).toEqual({ meanWeight: [0.625, 0.375], selectionRate: [1, 0.5] });
  });
});
