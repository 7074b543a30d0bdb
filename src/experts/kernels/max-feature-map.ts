import * as tf from '@tensorflow/tfjs';

/**
 * Max-Feature-Map as one kernel (forward) and one gradient kernel, for the wasm and cpu
 * backends. Composed from tf ops, MFM costs a channel split, a maximum and, backwards, two
 * comparisons, two casts, two products and a concat, each a full pass over an
 * activation-sized tensor (about 1.2 s per LCNN training step at batch 32, 64x128, on wasm):
 * here each direction is one pass in JavaScript over the backend's own buffers (the wasm
 * heap or the cpu backend's arrays). Hand-written because no library provides MFM. Other
 * backends (native TensorFlow) use the composite, which is exact too.
 */

export const MFM_KERNEL = 'AblateMaxFeatureMap';
export const MFM_GRAD_KERNEL = 'AblateMaxFeatureMapGrad';

type TensorInfo = tf.TensorInfo;

interface WasmLike {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}
interface CpuLike {
  data: { get(dataId: unknown): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): TensorInfo;
}

function bits(values: Float32Array): Int32Array {
  return new Int32Array(values.buffer, values.byteOffset, values.length);
}

/*
 * Both loops select bit patterns with an all-ones/all-zeros mask instead of branching:
 * on real activations the larger half is a coin flip, and mispredicted branches made the
 * branchy loop 3x slower. Selecting bits is exact (no arithmetic on the values).
 */

/** out[p, c] = max(x[p, c], x[p, c + half]) over pixels p. */
function forward(x: Float32Array, out: Float32Array, channels: number): void {
  const xBits = bits(x);
  const outBits = bits(out);
  const half = channels >> 1;
  const n = x.length;
  let o = 0;
  for (let i = 0; i < n; i += channels) {
    const end = i + half;
    for (let j = i; j < end; j++) {
      const mask = -(+((x[j] as number) >= (x[j + half] as number))) | 0;
      outBits[o++] = ((xBits[j] as number) & mask) | ((xBits[j + half] as number) & ~mask);
    }
  }
}

/** dy goes to the half that won (the first on ties, as tf.maximum's gradient does). */
function backward(x: Float32Array, dy: Float32Array, dx: Float32Array, channels: number): void {
  const dyBits = bits(dy);
  const dxBits = bits(dx);
  const half = channels >> 1;
  const n = x.length;
  let o = 0;
  for (let i = 0; i < n; i += channels) {
    const end = i + half;
    for (let j = i; j < end; j++, o++) {
      const mask = -(+((x[j] as number) >= (x[j + half] as number))) | 0;
      const g = dyBits[o] as number;
      dxBits[j] = g & mask;
      dxBits[j + half] = g & ~mask;
    }
  }
}

function outputShape(shape: number[]): number[] {
  const channels = shape[shape.length - 1] ?? 0;
  return [...shape.slice(0, -1), channels / 2];
}

let registered = false;

export function registerMaxFeatureMapKernels(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: MFM_KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs['x'] as TensorInfo;
      const wasm = backend as unknown as WasmLike;
      const out = wasm.makeOutput(outputShape(x.shape), 'float32');
      forward(wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(out), x.shape[x.shape.length - 1] ?? 0);
      return out;
    },
  });
  tf.registerKernel({
    kernelName: MFM_GRAD_KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs['x'] as TensorInfo;
      const wasm = backend as unknown as WasmLike;
      const dx = wasm.makeOutput(x.shape, 'float32');
      backward(wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(inputs['dy'] as TensorInfo), wasm.typedArrayFromHeap(dx), x.shape[x.shape.length - 1] ?? 0);
      return dx;
    },
  });
  tf.registerKernel({
    kernelName: MFM_KERNEL,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs['x'] as TensorInfo;
      const cpu = backend as unknown as CpuLike;
      const shape = outputShape(x.shape);
      const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
      forward(cpu.data.get(x.dataId).values, out, x.shape[x.shape.length - 1] ?? 0);
      return cpu.makeTensorInfo(shape, 'float32', out);
    },
  });
  tf.registerKernel({
    kernelName: MFM_GRAD_KERNEL,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs['x'] as TensorInfo;
      const cpu = backend as unknown as CpuLike;
      const values = cpu.data.get(x.dataId).values;
      const dx = new Float32Array(values.length);
      backward(values, cpu.data.get((inputs['dy'] as TensorInfo).dataId).values, dx, x.shape[x.shape.length - 1] ?? 0);
      return cpu.makeTensorInfo(x.shape, 'float32', dx);
    },
  });
  tf.registerGradient({
    kernelName: MFM_KERNEL,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({
      x: () => tf.engine().runKernel(MFM_GRAD_KERNEL, { x: saved[0] as tf.Tensor, dy: dy as tf.Tensor }) as tf.Tensor,
    }),
  });
}

/** MFM over the last axis: the fused kernel where the backend has it, tf ops elsewhere. */
export function maxFeatureMap(x: tf.Tensor): tf.Tensor {
  registerMaxFeatureMapKernels();
  const channels = x.shape[x.rank - 1] ?? 0;
  if (channels % 2 !== 0) throw new Error(`MaxFeatureMap needs an even number of channels, got ${channels}`);
  if (x.dtype === 'float32' && tf.getKernel(MFM_KERNEL, tf.getBackend()) !== undefined) {
    return tf.engine().runKernel(MFM_KERNEL, { x }) as tf.Tensor;
  }
  return tf.tidy(() => {
    const [a, b] = tf.split(x, 2, x.rank - 1) as [tf.Tensor, tf.Tensor];
    return tf.maximum(a, b);
  });
}
