import * as tf from '@tensorflow/tfjs';

/**
 * How ablate's kernels enter the wasm backend's registry. The registry lives in each module
 * instance, so every worker thread registers its own (initBackend does); both functions are
 * idempotent.
 */

const wrappers = new WeakSet<tf.KernelFunc>();

/**
 * Replace the wasm kernel `kernelName` by `makeWrapper(original)`: a kernel that handles
 * the cases it is faster for and hands the others to the original.
 */
export function wrapWasmKernel(kernelName: string, makeWrapper: (original: tf.KernelFunc) => tf.KernelFunc): void {
  const original = tf.getKernel(kernelName, 'wasm');
  if (original === undefined) throw new Error(`the wasm backend has no ${kernelName} kernel to wrap`);
  if (wrappers.has(original.kernelFunc)) return;
  const wrapper = makeWrapper(original.kernelFunc);
  wrappers.add(wrapper);
  tf.unregisterKernel(kernelName, 'wasm');
  const config: tf.KernelConfig = { kernelName, backendName: 'wasm', kernelFunc: wrapper };
  if (original.setupFunc !== undefined) config.setupFunc = original.setupFunc;
  tf.registerKernel(config);
}

/** Register `kernelFunc` as the wasm kernel `kernelName` (one the backend lacks, or a whole replacement). */
export function setWasmKernel(kernelName: string, kernelFunc: tf.KernelFunc): void {
  const existing = tf.getKernel(kernelName, 'wasm');
  if (existing?.kernelFunc === kernelFunc) return;
  if (existing !== undefined) tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
}
