import type * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/nn/backend.js';
import { Mixture, type MixtureHyperParams, type MixtureMember, cacheExpertOutputs, evaluateCachedMixture, evaluateMixture, trainGateOnCache, trainMixture } from '../../../src/train/moe/index.js';
import type { GateConfig, RoutingConfig } from '../../../src/config/schema/moe.js';
import { tinyExperts, toyData, weightsOf } from './support/toy.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const train = toyData(32, 11);
const validation = toyData(16, 12);
const hp: MixtureHyperParams = { epochs: 3, lr: 3e-3, weightDecay: 1e-4, schedule: 'cosine', etaMin: 1e-4, patience: null, monitor: 'loss', batchSize: 8 };

/** Count forward passes through the experts' models (calls go through unchanged). */
function countCalls(members: MixtureMember[]): { calls: number } {
  const counter = { calls: 0 };
  for (const { expert } of members) {
    const model = expert.model;
    const original = model.apply.bind(model);
    model.apply = ((...args: Parameters<tf.LayersModel['apply']>) => {
      counter.calls++;
      return original(...args);
    }) as tf.LayersModel['apply'];
  }
  return counter;
}

function gateValues(mixture: Mixture): Float32Array[] {
  return mixture.gate.variables.map(({ variable }) => (variable.dataSync() as Float32Array).slice());
}

describe('frozen experts', () => {
  it('keep every weight (batch-norm statistics included) through joint training; unfrozen ones change', async () => {
    const frozen = new Mixture({ experts: tinyExperts(3), gate: { input: 'standard', hidden: 8 }, moe: { freezeExperts: true }, labelSmoothing: 0.1, seed: 5 });
    const before = frozen.members.map(({ expert }) => weightsOf(expert.model));
    const gateBefore = gateValues(frozen);
    await trainMixture({ mixture: frozen, train, validation, hp: { ...hp, epochs: 2 }, seed: 1 });
    frozen.members.forEach(({ expert }, i) => expect(weightsOf(expert.model)).toEqual(before[i]));
    expect(gateValues(frozen)).not.toEqual(gateBefore);
    frozen.dispose();

    const joint = new Mixture({ experts: tinyExperts(3), gate: { input: 'standard', hidden: 8 }, moe: { freezeExperts: false }, labelSmoothing: 0.1, seed: 5 });
    await trainMixture({ mixture: joint, train, validation, hp: { ...hp, epochs: 2 }, seed: 1 });
    joint.members.forEach(({ expert }, i) => expect(weightsOf(expert.model)).not.toEqual(before[i]));
    joint.dispose();
  });

  const cases: Array<{ gate: GateConfig; routing: RoutingConfig }> = [
    { gate: { type: 'mlp', input: 'enhanced', hidden: 8, dim: 8, dropout: 0.2 }, routing: { mode: 'soft', balance: 'cv2' } },
    { gate: { type: 'transformer', input: 'standard', dim: 8, heads: 2, layers: 1, dropout: 0.1 }, routing: { mode: 'noisy-topk', k: 2 } },
  ];
  for (const { gate, routing } of cases) {
    it(`the embedding cache trains the ${gate.type} / ${gate.input} / ${routing.mode} gate as recomputing does, running each expert once`, async () => {
      const moe = { freezeExperts: true, loss: 'separate' as const };
      const recomputing = new Mixture({ experts: tinyExperts(7), gate, routing, moe, labelSmoothing: 0.1, seed: 9 });
      const recomputeCalls = countCalls(recomputing.members);
      const reference = await trainMixture({ mixture: recomputing, train, validation, hp, seed: 4 });

      const cached = new Mixture({ experts: tinyExperts(7), gate, routing, moe, labelSmoothing: 0.1, seed: 9 });
      const calls = countCalls(cached.members);
      const trainCache = cacheExpertOutputs(cached, train, { batchSize: 16 });
      const validationCache = cacheExpertOutputs(cached, validation, { batchSize: 16 });
      // Once per expert per block of 16 items: 2 blocks of training and 1 of validation data.
      expect(calls.calls).toBe(3 * (2 + 1));
      const result = await trainGateOnCache({ mixture: cached, train: trainCache, validation: validationCache, hp, seed: 4 });
      expect(calls.calls).toBe(3 * 3);
      expect(recomputeCalls.calls).toBeGreaterThan(3 * reference.steps);

      expect(result.steps).toBe(reference.steps);
      result.history.forEach((record, epoch) => {
        const expected = reference.history[epoch];
        expect(record.trainLoss).toBeCloseTo(expected?.trainLoss as number, 4);
        expect(record.validation.loss).toBeCloseTo(expected?.validation.loss as number, 4);
      });
      const a = gateValues(recomputing);
      gateValues(cached).forEach((values, i) => values.forEach((v, j) => expect(v).toBeCloseTo((a[i] as Float32Array)[j] as number, 3)));

      // Evaluation on the cache matches evaluation through the experts.
      const direct = evaluateMixture(recomputing, validation);
      const fromCache = evaluateCachedMixture(cached, validationCache);
      fromCache.scores.forEach((s, i) => expect(s).toBeCloseTo(direct.scores[i] as number, 3));
      fromCache.gate.meanWeight.forEach((w, i) => expect(w).toBeCloseTo(direct.gate.meanWeight[i] as number, 4));
      recomputing.dispose();
      cached.dispose();
    });
  }

  it('refuses the cached trainer for experts that are not frozen', async () => {
    const mixture = new Mixture({ experts: tinyExperts(7), gate: { input: 'enhanced' }, moe: { freezeExperts: false }, seed: 9 });
    const cache = cacheExpertOutputs(mixture, validation);
    await expect(trainGateOnCache({ mixture, train: cache, validation: cache, hp, seed: 1 })).rejects.toThrow(/frozen experts/);
    mixture.dispose();
  });
});
