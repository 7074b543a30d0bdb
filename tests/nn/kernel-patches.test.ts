import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxFeatureMap } from '../../src/experts/kernels/max-feature-map.js';
import { initBackend } from '../../src/nn/backend.js';

/**
 * The speed patches (fused Max-Feature-Map, 2x2 max-pool gradient, leading-axis sums and
 * means, the batch-norm gradient) must compute what the stock tfjs ops compute: each is
 * checked on wasm against the cpu backend running plain tf ops.
 */

beforeAll(async () => {
  await initBackend('wasm');
  await initBackend('cpu');
});

function values(shape: number[], phase: number, ties = false): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  // With ties: values on a coarse grid, so equal maxima occur and tie-breaking is tested.
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => (ties ? Math.round(3 * Math.sin(i * 0.9 + phase)) : Math.sin(i * 0.73 + phase) + 0.2 * Math.cos(i * 2.1))), shape);
}

async function onBoth<T>(run: () => T): Promise<{ cpu: T; wasm: T }> {
  await tf.setBackend('cpu');
  const cpu = run();
  await tf.setBackend('wasm');
  const wasm = run();
  return { cpu, wasm };
}

function close(actual: Float32Array | number[], expected: Float32Array | number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1e-6;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs((actual[i] ?? NaN) - (expected[i] ?? 0)));
  expect(worst / scale).toBeLessThan(tolerance);
}

describe('fused Max-Feature-Map', () => {
  it.each([false, true])('matches split + maximum and its gradient on both backends (ties: %s)', async (ties) => {
    const composite = (x: tf.Tensor) => {
      const [a, b] = tf.split(x, 2, 3);
      return tf.maximum(a!, b!);
    };
    const run = (f: (x: tf.Tensor) => tf.Tensor) =>
      tf.tidy(() => {
        const x = values([2, 3, 5, 6], 1, ties);
        const r = values([2, 3, 5, 3], 2);
        const [dx] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(f(t), r)))([x]);
        // + 0 turns -0 (dy * 0 in the composite) into 0: the values must agree, not the sign of zero.
        return [Array.from(f(x).dataSync()), Array.from(dx!.dataSync(), (v) => v + 0)];
      });
    const results = await onBoth(() => ({ fused: run(maxFeatureMap), composite: run(composite) }));
    for (const backend of ['cpu', 'wasm'] as const) {
      expect(results[backend].fused[0]).toEqual(results.cpu.composite[0]);
      expect(results[backend].fused[1]).toEqual(results.cpu.composite[1]);
    }
    expect(tf.getKernel('AblateMaxFeatureMap', 'wasm')).toBeDefined();
  });
});

describe('wasm kernel patches', () => {
  it.each([[[2, 8, 6, 3]], [[1, 7, 9, 4]]])('2x2/2 max-pool gradient matches the cpu backend for %j (odd sizes, ties)', async (shape) => {
    const run = () =>
      tf.tidy(() => {
        const x = values(shape, 3, true) as tf.Tensor4D;
        const r = values([shape[0]!, Math.floor(shape[1]! / 2), Math.floor(shape[2]! / 2), shape[3]!], 4);
        const [dx] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid'), r)))([x]);
        return Array.from(dx!.dataSync());
      });
    const { cpu, wasm } = await onBoth(run);
    expect(wasm).toEqual(cpu);
  });

  it.each([
    ['sum', [0, 1, 2], false],
    ['sum', [0, 1], true],
    ['mean', [0, 1, 2], false],
    ['mean', [0], true],
    ['sum', [1, 2], false],
    ['mean', -1, false],
  ] as const)('%s over axes %j (keepDims %s) matches the cpu backend', async (op, axes, keepDims) => {
    const run = () =>
      tf.tidy(() => {
        const x = values([4, 5, 6, 7], 5);
        const y = op === 'sum' ? tf.sum(x, axes as unknown as number[], keepDims) : tf.mean(x, axes as unknown as number[], keepDims);
        return { shape: y.shape, data: y.dataSync() as Float32Array };
      });
    const { cpu, wasm } = await onBoth(run);
    expect(wasm.shape).toEqual(cpu.shape);
    close(wasm.data, cpu.data, 1e-5);
  });
});

describe('batch-norm gradient', () => {
  it('equals the gradient of the same normalisation written with plain ops', async () => {
    const gradients = (fused: boolean) =>
      tf.tidy(() => {
        const x = values([4, 3, 5, 6], 6);
        const r = values([4, 3, 5, 6], 7);
        const gamma = values([6], 8);
        const beta = values([6], 9);
        const f = (input: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) => {
          const { mean, variance } = tf.moments(input, [0, 1, 2]);
          const y = fused
            ? tf.batchNorm(input, mean, variance, offset, scale, 1e-3)
            : tf.add(tf.mul(tf.div(tf.sub(input, mean), tf.sqrt(tf.add(variance, 1e-3))), scale), offset);
          return tf.sum(tf.mul(y, r));
        };
        return tf.grads(f)([x, gamma, beta]).map((g) => g.dataSync() as Float32Array);
      });
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const reference = gradients(false);
      gradients(true).forEach((g, i) => close(g, reference[i]!, 1e-4));
    }
  });
});
