import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNorm } from '../../src/nn/batch-norm.js';
import { initBackend } from '../../src/nn/backend.js';

/**
 * ablate's BatchNorm layer must do what tfjs-layers' BatchNormalization does (outputs in
 * training and inference, moving statistics, gradients through the batch statistics), on
 * the wasm backend (its own kernels) and on the cpu backend (tf ops), with the same
 * weight names so stored checkpoints load.
 */

beforeAll(async () => {
  await initBackend('wasm');
  await initBackend('cpu');
});

function values(shape: number[], phase: number, offset = 0): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => offset + Math.sin(i * 0.73 + phase) + 0.4 * Math.cos(i * 2.1 + i * i * 1e-3)), shape);
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1e-6;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i] as number));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
  expect(worst / scale).toBeLessThan(tolerance);
}

interface Outcome {
  names: string[];
  trainingOutput: number[];
  grads: number[][];
  moving: number[][];
  inferenceOutput: number[];
}

/** Two training steps' worth of calls, then an inference call, through one layer. */
function exercise(layer: tf.layers.Layer, shape: number[]): Outcome {
  return tf.tidy(() => {
    const x = values(shape, 0.3, 1.5);
    const weightsOfLoss = values(shape, 1.1);
    layer.apply(tf.input({ shape: shape.slice(1) }));
    // Distinct gamma and beta so their gradients are not trivial.
    const channels = shape[shape.length - 1] as number;
    layer.setWeights([values([channels], 2, 1), values([channels], 3), values([channels], 4), tf.add(tf.abs(values([channels], 5)), 0.5)]);
    const trainable = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = (input: tf.Tensor) => tf.sum(tf.mul(tf.square(layer.apply(input, { training: true }) as tf.Tensor), weightsOfLoss)) as tf.Scalar;
    const trainingOutput = Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync());
    const { grads } = tf.variableGrads(() => loss(x), trainable);
    const dx = tf.grad(loss)(x);
    layer.apply(values(shape, 7, -0.5), { training: true });
    return {
      names: layer.weights.map((w) => w.name),
      trainingOutput,
      grads: [Array.from(dx.dataSync()), ...trainable.map((v) => Array.from((grads[v.name] as tf.Tensor).dataSync()))],
      moving: layer.weights.slice(2).map((w) => Array.from(w.read().dataSync())),
      inferenceOutput: Array.from((layer.apply(values(shape, 9), { training: false }) as tf.Tensor).dataSync()),
    };
  });
}

describe('BatchNorm', () => {
  it.each([
    [[4, 5, 7, 6]],
    [[16, 3]],
    [[3, 4, 8]],
  ])('matches tfjs-layers BatchNormalization for input %j on cpu and wasm', async (shape) => {
    await tf.setBackend('cpu');
    const reference = exercise(tf.layers.batchNormalization({ name: 'bn', epsilon: 1e-5, momentum: 0.9 }), shape);
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const ours = exercise(new BatchNorm({ name: 'bn', epsilon: 1e-5, momentum: 0.9 }), shape);
      expect(ours.names.map((n) => n.replace(/_\d+$/, ''))).toEqual(reference.names.map((n) => n.replace(/_\d+$/, '')));
      close(ours.trainingOutput, reference.trainingOutput, 1e-5);
      ours.grads.forEach((g, i) => close(g, reference.grads[i] as number[], 1e-4));
      ours.moving.forEach((m, i) => close(m, reference.moving[i] as number[], 1e-5));
      close(ours.inferenceOutput, reference.inferenceOutput, 1e-5);
    }
  });

  it('has a nonzero input gradient whose per-channel sum is zero (the batch mean absorbs a shift)', async () => {
    await tf.setBackend('wasm');
    const layer = new BatchNorm({ name: 'bn_sum', epsilon: 1e-5, momentum: 0.9 });
    const dx = tf.tidy(() => {
      const x = values([6, 4, 3], 0.5, 2);
      const r = values([6, 4, 3], 1.7);
      return tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, r)) as tf.Scalar)(x);
    });
    const sums = Array.from(tf.sum(dx, [0, 1]).dataSync());
    expect(Math.max(...Array.from(dx.dataSync(), Math.abs))).toBeGreaterThan(0.1);
    for (const s of sums) expect(Math.abs(s)).toBeLessThan(1e-4);
  });
});
