import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/nn/backend.js';
import { isUserError } from '../../src/util/errors.js';

async function nativeInstalled(name: string): Promise<boolean> {
  try {
    await import(name);
    return true;
  } catch {
    return false;
  }
}

describe('initBackend', () => {
  it('auto takes the first backend that loads, never the cpu one while wasm loads, and says so', async () => {
    const lines: string[] = [];
    const info = await initBackend('auto', { log: (line) => lines.push(line) });
    const gpu = await nativeInstalled('@tensorflow/tfjs-node-gpu');
    const native = await nativeInstalled('@tensorflow/tfjs-node');
    expect(info.name).toBe(gpu ? 'tensorflow-gpu' : native ? 'tensorflow' : 'wasm');
    expect(tf.getBackend()).toBe(info.name === 'wasm' ? 'wasm' : 'tensorflow');
    expect(lines.at(-1)).toContain(`backend: ${info.name}`);
    if (!gpu) expect(lines.some((line) => line.includes('tensorflow-gpu not available'))).toBe(true);
    if (info.name === 'wasm') expect(info.detail).toMatch(/SIMD, 1 thread/);
  });

  it('refuses an explicitly requested backend that is not installed, with what to do', async () => {
    if (await nativeInstalled('@tensorflow/tfjs-node')) return;
    const error = await initBackend('tensorflow').catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toMatch(/backend "tensorflow" cannot be used/);
    expect((error as Error).message).toMatch(/@tensorflow\/tfjs-node.*--backend auto/s);
  });

  it('refuses unknown names', async () => {
    const error = await initBackend('tpu' as never).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toContain('auto, tensorflow-gpu, tensorflow, wasm, cpu');
  });

  it('fails fast when a backend computes a wrong gradient (the self-test)', async () => {
    await initBackend('cpu');
    const original = tf.getKernel('Conv2DBackpropFilter', 'cpu')!;
    tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
    // A kernel that returns the right shape but zeros: only a numeric check can catch it.
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'cpu',
      kernelFunc: ({ attrs, backend }) => {
        const shape = (attrs as unknown as { filterShape: number[] }).filterShape;
        const size = shape.reduce((a, b) => a * b, 1);
        const dataId = (backend as tf.KernelBackend).write(new Float32Array(size), shape, 'float32');
        return { dataId, shape, dtype: 'float32' };
      },
    });
    try {
      const error = await initBackend('cpu').catch((e: unknown) => e);
      expect(isUserError(error)).toBe(true);
      expect((error as Error).message).toMatch(/failed the self-test: conv 3x3\/1 same dW/);
    } finally {
      tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
      tf.registerKernel(original);
    }
    await expect(initBackend('cpu')).resolves.toMatchObject({ name: 'cpu' });
  });

  it('leaves no tensors behind', async () => {
    await initBackend('wasm');
    const before = tf.memory().numTensors;
    await initBackend('wasm');
    await initBackend('cpu');
    await initBackend('wasm');
    expect(tf.memory().numTensors).toBe(before);
  });
});
