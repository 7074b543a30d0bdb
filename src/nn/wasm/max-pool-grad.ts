import * as tf from '@tensorflow/tfjs';
import { wrapWasmKernel } from './replace-kernel.js';

/**
 * MaxPoolGrad for the common 2x2, stride 2, 'valid' pooling (the LCNN's) on the wasm
 * backend, as one JavaScript pass over the pooled input on the wasm heap: the stock kernel
 * took 190 ms for the LCNN's first pool at batch 32 (64x128x32 channels). dy goes to the
 * first maximum of each window in row-major order, as the stock kernels do. Other pool
 * shapes go to the stock kernel. Hand-written because no library patches this backend.
 */

type TensorInfo = tf.TensorInfo;
interface WasmLike {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

function isPair(value: unknown, expected: number): boolean {
  return value === expected || (Array.isArray(value) && value.length === 2 && value[0] === expected && value[1] === expected);
}

function poolGrad2x2(x: Float32Array, dy: Float32Array, dx: Float32Array, [batch, height, width, channels]: number[]): void {
  const outHeight = Math.floor((height ?? 0) / 2);
  const outWidth = Math.floor((width ?? 0) / 2);
  const c = channels ?? 0;
  const row = (width ?? 0) * c;
  // Rows and columns left over by an odd size get no gradient.
  if ((height ?? 0) % 2 !== 0 || (width ?? 0) % 2 !== 0) dx.fill(0);
  let o = 0;
  for (let b = 0; b < (batch ?? 0); b++) {
    for (let i = 0; i < outHeight; i++) {
      for (let j = 0; j < outWidth; j++) {
        const p00 = ((b * (height ?? 0) + 2 * i) * (width ?? 0) + 2 * j) * c;
        const p01 = p00 + c;
        const p10 = p00 + row;
        const p11 = p10 + c;
        for (let k = 0; k < c; k++, o++) {
          // Branch-free running argmax (strict >: the first maximum wins): which value
          // is larger is a coin flip on real activations, and mispredicted branches
          // dominate a branchy loop.
          let best = p00 + k;
          let value = x[best] as number;
          let mask = -(+((x[p01 + k] as number) > value)) | 0;
          best += (p01 + k - best) & mask;
          value = x[best] as number;
          mask = -(+((x[p10 + k] as number) > value)) | 0;
          best += (p10 + k - best) & mask;
          value = x[best] as number;
          mask = -(+((x[p11 + k] as number) > value)) | 0;
          best += (p11 + k - best) & mask;
          dx[p00 + k] = 0;
          dx[p01 + k] = 0;
          dx[p10 + k] = 0;
          dx[p11 + k] = 0;
          dx[best] = dy[o] as number;
        }
      }
    }
  }
}

export function registerWasmMaxPoolGrad(): void {
  wrapWasmKernel(tf.MaxPoolGrad, (originalFunc) => ((args: Parameters<tf.KernelFunc>[0]): TensorInfo | TensorInfo[] => {
    const attrs = (args.attrs ?? {}) as unknown as tf.MaxPoolGradAttrs;
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const fast = input.shape.length === 4 && input.dtype === 'float32' && isPair(attrs.filterSize, 2) && isPair(attrs.strides, 2) && attrs.pad === 'valid';
    if (!fast) return originalFunc(args);
    const wasm = args.backend as unknown as WasmLike;
    const dx = wasm.makeOutput(input.shape, 'float32');
    poolGrad2x2(wasm.typedArrayFromHeap(input), wasm.typedArrayFromHeap(dy), wasm.typedArrayFromHeap(dx), input.shape);
    return dx;
  }) as tf.KernelFunc);
}
