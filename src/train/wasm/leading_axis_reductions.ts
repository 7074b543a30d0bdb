import * as tf from '@tensorflow/tfjs';
import { KernelScope } from './kernel_scope.js';

/**
 * Sum and Mean over the leading axes of a tensor (bias gradients: sum of dy over batch,
 * height and width; batch-norm statistics) are slow on the wasm backend: it transposes the
 * reduced axes innermost first, a full copy of an activation-sized tensor (130 ms for one
 * conv1 bias gradient of the LCNN at batch 32). Such a reduction is a product with a row
 * of ones (1/N for the mean), which XNNPACK runs at memory speed. Other reductions go to
 * the original kernels. Hand-written because no library patches this backend.
 */

type TensorInfo = tf.TensorInfo;
type KernelArgs = Parameters<tf.KernelFunc>[0];

const wrappers = new WeakSet<tf.KernelFunc>();

function leadingAxes(axis: number | number[], rank: number): number | null {
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  const leading = axes.every((a, i) => a === i);
  return leading && axes.length > 0 && axes.length < rank ? axes.length : null;
}

function wrap(kernelName: string, scale: (count: number) => number): void {
  const original = tf.getKernel(kernelName, 'wasm');
  if (original === undefined) throw new Error(`the wasm backend has no ${kernelName} kernel to wrap`);
  if (wrappers.has(original.kernelFunc)) return;
  const originalFunc = original.kernelFunc;
  const wrapper = ((args: KernelArgs): TensorInfo | TensorInfo[] => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = (args.attrs ?? {}) as unknown as { axis: number | number[]; keepDims: boolean };
    const reduced = x.dtype === 'float32' ? leadingAxes(axis, x.shape.length) : null;
    if (reduced === null) return originalFunc(args);
    const rows = x.shape.slice(0, reduced).reduce((a, b) => a * b, 1);
    const kept = x.shape.slice(reduced);
    const columns = kept.reduce((a, b) => a * b, 1);
    if (rows === 0 || columns === 0) return originalFunc(args);
    const scope = new KernelScope('wasm', args.backend as tf.KernelBackend);
    try {
      const weights = scope.run('Fill', {}, { shape: [1, 1, rows], value: scale(rows), dtype: 'float32' });
      const matrix = scope.run('Reshape', { x }, { shape: [1, rows, columns] });
      const product = scope.run('BatchMatMul', { a: weights, b: matrix }, { transposeA: false, transposeB: false });
      const shape = keepDims ? [...new Array<number>(reduced).fill(1), ...kept] : kept;
      return scope.finish(scope.run('Reshape', { x: product }, { shape }));
    } catch (error) {
      scope.dispose();
      throw error;
    }
  }) as tf.KernelFunc;
  wrappers.add(wrapper);
  tf.unregisterKernel(kernelName, 'wasm');
  const config: tf.KernelConfig = { kernelName, backendName: 'wasm', kernelFunc: wrapper };
  if (original.setupFunc !== undefined) config.setupFunc = original.setupFunc;
  tf.registerKernel(config);
}

export function registerWasmLeadingAxisReductions(): void {
  wrap(tf.Sum, () => 1);
  wrap(tf.Mean, (count) => 1 / count);
}
