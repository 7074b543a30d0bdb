import * as tf from '@tensorflow/tfjs';
import { wrapWasmKernel } from './replace-kernel.js';

/**
 * Sum and Mean over the leading axes of a tensor (bias gradients: sum of dy over batch,
 * height and width; batch-norm statistics) are slow on the wasm backend: it transposes the
 * reduced axes innermost first, a full copy of an activation-sized tensor (130 ms for one
 * conv1 bias gradient of the LCNN at batch 32). Here they are one pass in JavaScript over
 * the wasm heap, accumulating column sums in float64 (30 ms for that gradient; a product
 * with a row of ones took 95 ms, XNNPACK repacking the big operand on every call). Other
 * reductions go to the original kernels. Hand-written because no library patches this
 * backend.
 */

type TensorInfo = tf.TensorInfo;
type KernelArgs = Parameters<tf.KernelFunc>[0];

interface WasmLike {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

function columnSums(source: Float32Array, columns: number, scale: number, out: Float32Array): void {
  const sums = new Float64Array(columns);
  for (let start = 0; start < source.length; start += columns) {
    for (let c = 0; c < columns; c++) sums[c] = (sums[c] as number) + (source[start + c] as number);
  }
  for (let c = 0; c < columns; c++) out[c] = (sums[c] as number) * scale;
}

function leadingAxes(axis: number | number[], rank: number): number | null {
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  const leading = axes.every((a, i) => a === i);
  return leading && axes.length > 0 && axes.length < rank ? axes.length : null;
}

function wrap(kernelName: string, scale: (count: number) => number): void {
  wrapWasmKernel(kernelName, (originalFunc) => ((args: KernelArgs): TensorInfo | TensorInfo[] => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = (args.attrs ?? {}) as unknown as { axis: number | number[]; keepDims: boolean };
    const reduced = x.dtype === 'float32' ? leadingAxes(axis, x.shape.length) : null;
    if (reduced === null) return originalFunc(args);
    const rows = x.shape.slice(0, reduced).reduce((a, b) => a * b, 1);
    const kept = x.shape.slice(reduced);
    const columns = kept.reduce((a, b) => a * b, 1);
    if (rows === 0 || columns === 0) return originalFunc(args);
    const wasm = args.backend as unknown as WasmLike;
    const out = wasm.makeOutput(keepDims ? [...new Array<number>(reduced).fill(1), ...kept] : kept, 'float32');
    columnSums(wasm.typedArrayFromHeap(x), columns, scale(rows), wasm.typedArrayFromHeap(out));
    return out;
  }) as tf.KernelFunc);
}

export function registerWasmLeadingAxisReductions(): void {
  wrap(tf.Sum, () => 1);
  wrap(tf.Mean, (count) => 1 / count);
}
