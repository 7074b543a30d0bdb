import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/nn/backend.js';

/**
 * The replacement wasm kernels against the cpu backend's stock gradients (the reference
 * tfjs ships), for strides 1 and 2, 'same' and 'valid', 1x1, 3x3 and 5x5 kernels, odd and
 * even sizes.
 */

let stockHadFilterGradient = true;

beforeAll(async () => {
  // The stock wasm backend's gap that the replacement fills (checked before registration).
  stockHadFilterGradient = tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined;
  await initBackend('wasm');
});

function values(length: number, phase: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin(i * 0.61 + phase) + 0.3 * Math.cos(i * 1.7));
}

async function gradients(backend: string, xShape: number[], wShape: number[], stride: number, pad: 'same' | 'valid') {
  await tf.setBackend(backend);
  const x = tf.tensor4d(values(xShape.reduce((a, b) => a * b), 1), xShape as [number, number, number, number]);
  const w = tf.tensor4d(values(wShape.reduce((a, b) => a * b), 2), wShape as [number, number, number, number]);
  const y = tf.conv2d(x, w, stride, pad);
  const r = tf.tensor(values(y.size, 3), y.shape);
  // A loss whose gradient with respect to y is r (not all ones, which would hide index errors).
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), r)))([x, w]);
  const result = { dx: (await dx!.data()) as Float32Array, dw: (await dw!.data()) as Float32Array, dxShape: dx!.shape, dwShape: dw!.shape };
  tf.dispose([x, w, y, r, dx!, dw!]);
  return result;
}

function relativeError(actual: Float32Array, expected: Float32Array): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  return worst / scale;
}

describe('wasm convolution gradients', () => {
  it('fill a kernel the stock wasm backend does not have', () => {
    expect(stockHadFilterGradient).toBe(false);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  const cases: Array<[number, number, 'same' | 'valid', [number, number]]> = [];
  for (const kernel of [1, 3, 5]) for (const stride of [1, 2]) for (const pad of ['same', 'valid'] as const) cases.push([kernel, stride, pad, [9, 8]]);
  cases.push([3, 2, 'same', [6, 11]], [5, 1, 'same', [16, 5]], [3, 1, 'valid', [5, 5]]);

  it.each(cases)('match the cpu backend: %ix%i kernel, stride %i, %s, input %j', async (kernel, stride, pad, [height, width]) => {
    const xShape = [3, height, width, 4];
    const wShape = [kernel, kernel, 4, 5];
    const reference = await gradients('cpu', xShape, wShape, stride, pad);
    const actual = await gradients('wasm', xShape, wShape, stride, pad);
    expect(actual.dxShape).toEqual(xShape);
    expect(actual.dwShape).toEqual(wShape);
    expect(relativeError(actual.dx, reference.dx)).toBeLessThan(1e-5);
    expect(relativeError(actual.dw, reference.dw)).toBeLessThan(1e-5);
  });

  it('go through tfjs-layers fused convolutions with bias too', async () => {
    const results: Record<string, Float32Array[]> = {};
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const layer = tf.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: 'ones' });
      const x = tf.tensor4d(values(2 * 7 * 7 * 2, 5), [2, 7, 7, 2]);
      layer.apply(x);
      const weights = layer.trainableWeights.map((weight) => weight.read() as tf.Variable);
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar, weights);
      results[backend] = weights.map((weight) => grads[weight.name]!.dataSync() as Float32Array);
      tf.dispose([x, ...Object.values(grads)]);
      layer.dispose();
    }
    expect(results['wasm']!.length).toBe(2);
    results['wasm']!.forEach((gradient, i) => expect(relativeError(gradient, results['cpu']![i]!)).toBeLessThan(1e-5));
  });

  it('compute transposed matrix products (dense-layer gradients) like the cpu backend', async () => {
    const outputs: Record<string, Float32Array[]> = {};
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const a = tf.tensor3d(values(2 * 5 * 3, 1), [2, 5, 3]);
      const b = tf.tensor3d(values(2 * 5 * 4, 2), [2, 5, 4]);
      const c = tf.tensor3d(values(2 * 4 * 3, 3), [2, 4, 3]);
      const products = [tf.matMul(a, b, true, false), tf.matMul(a, c, false, true), tf.matMul(b, a.transpose([0, 2, 1]), true, true)];
      outputs[backend] = products.map((product) => product.dataSync() as Float32Array);
      tf.dispose([a, b, c, ...products]);
    }
    outputs['wasm']!.forEach((product, i) => expect(relativeError(product, outputs['cpu']![i]!)).toBeLessThan(1e-6));
  });

  it('free every intermediate buffer', async () => {
    await tf.setBackend('wasm');
    await gradients('wasm', [2, 9, 8, 4], [3, 3, 4, 5], 2, 'same');
    const before = tf.memory();
    const dataIdsBefore = tf.engine().backend.numDataIds();
    await gradients('wasm', [2, 9, 8, 4], [3, 3, 4, 5], 2, 'same');
    await gradients('wasm', [2, 9, 8, 4], [1, 1, 4, 5], 2, 'valid');
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    // Intermediates live only in the backend (the engine never sees them): count its buffers.
    expect(tf.engine().backend.numDataIds()).toBe(dataIdsBefore);
  });
});
