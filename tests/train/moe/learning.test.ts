import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/nn/backend.js';
import { Mixture, type MixtureHyperParams, evaluateMixture, trainMixture } from '../../../src/train/moe/index.js';
import { tinyExperts, toyData } from './support/toy.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const train = toyData(32, 21);
const validation = toyData(16, 22);
const hp: MixtureHyperParams = { epochs: 6, lr: 1e-2, weightDecay: 1e-4, schedule: 'constant', etaMin: 0, patience: null, monitor: 'loss', batchSize: 8 };

describe('a tiny mixture learns a separable toy problem', () => {
  for (const type of ['mlp', 'transformer'] as const) {
    for (const input of ['standard', 'enhanced'] as const) {
      for (const mode of ['soft', 'topk', 'noisy-topk'] as const) {
        it(`${type} gate, ${input} input, ${mode} routing`, async () => {
          // k = 2 of 3: with k = 1 the renormalised weight of the one expert is always 1 and the gate gets no gradient from the mixture loss.
          const mixture = new Mixture({
            experts: tinyExperts(31),
            gate: { type, input, hidden: 16, dim: 8, heads: 2, layers: 1, dropout: 0.1 },
            routing: { mode, k: 2, balance: mode === 'soft' ? 'none' : 'switch' },
            moe: { mix: mode === 'topk' ? 'logit' : 'prob' },
            labelSmoothing: 0.1,
            seed: 17,
          });
          const gateBefore = mixture.gate.trainable.map((v) => (v.dataSync() as Float32Array).slice());
          const before = evaluateMixture(mixture, train).loss;
          const result = await trainMixture({ mixture, train, validation, hp, seed: 3 });
          const after = evaluateMixture(mixture, train).loss;
          expect(after).toBeLessThan(0.75 * before);
          expect(result.history.at(-1)?.trainLoss).toBeLessThan(result.history[0]?.trainLoss as number);
          // The gate learned too.
          expect(mixture.gate.trainable.map((v) => Array.from(v.dataSync()))).not.toEqual(gateBefore.map((a) => Array.from(a)));
          mixture.dispose();
        });
      }
    }
  }
});
