import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/nn/backend.js';
import { withStepSeed } from '../../../src/nn/step-seed.js';
import { Mixture, type MixtureHyperParams, trainMixture } from '../../../src/train/moe/index.js';
import { batchTensors, tinyExperts, toyData } from './support/toy.js';

// Small: the cpu backend runs convolutions in plain JavaScript.
const data = toyData(6, 7);

/** Loss and gradient norms of one training step (fixed step seed: same dropout and gate noise). */
function step(mixture: Mixture): { loss: number; grads: Map<string, number> } {
  const batch = batchTensors(data, 6);
  const { value, grads } = withStepSeed(77, () => tf.variableGrads(() => mixture.loss(batch, { training: true }), mixture.trainable));
  const norms = new Map<string, number>();
  for (const { name, variable } of mixture.variables) {
    const g = grads[variable.name];
    if (g !== undefined) norms.set(name, tf.tidy(() => tf.norm(g).dataSync()[0] as number));
  }
  const loss = value.dataSync()[0] as number;
  tf.dispose([value, ...Object.values(grads), ...batch.inputs, batch.labels]);
  return { loss, grads: norms };
}

describe('backends', () => {
  it('a training step gives the same loss and gradients on wasm and cpu', async () => {
    await initBackend('wasm');
    const options = {
      gate: { type: 'transformer' as const, input: 'enhanced' as const, dim: 8, heads: 2, layers: 2 },
      routing: { mode: 'noisy-topk' as const, k: 2, balance: 'cv2' as const },
      moe: { loss: 'separate' as const, mix: 'prob' as const },
      labelSmoothing: 0.1,
      seed: 3,
    };
    const onWasm = new Mixture({ ...options, experts: tinyExperts(5) });
    const wasm = step(onWasm);
    onWasm.dispose();

    await initBackend('cpu');
    const onCpu = new Mixture({ ...options, experts: tinyExperts(5) });
    const cpu = step(onCpu);
    expect(cpu.loss).toBeCloseTo(wasm.loss, 4);
    expect([...cpu.grads.keys()]).toEqual([...wasm.grads.keys()]);
    for (const [name, norm] of cpu.grads) expect(norm).toBeCloseTo(wasm.grads.get(name) as number, 3);

    // A short training run on the cpu backend leaves no tensor behind.
    const before = tf.memory().numTensors;
    const hp: MixtureHyperParams = { epochs: 1, lr: 1e-3, weightDecay: 0, schedule: 'constant', etaMin: 0, patience: null, monitor: 'loss', batchSize: 4, stepsPerEpoch: 1 };
    await trainMixture({ mixture: onCpu, train: data, validation: data, hp, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    onCpu.dispose();
  });
});
