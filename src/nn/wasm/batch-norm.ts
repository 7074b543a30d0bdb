import * as tf from '@tensorflow/tfjs';
import { KernelScope } from './kernel-scope.js';
import { setWasmKernel, wrapWasmKernel } from './replace-kernel.js';

/**
 * Batch normalisation kernels for the wasm backend, for statistics per channel on the last
 * axis (every batch-norm layer ablate builds). tfjs composes training-mode batch norm from
 * about twenty broadcast kernels per layer (moments, then autodiff through them), and the
 * backend's FusedBatchNorm takes a square root and a division per element with per-element
 * index arithmetic; on the ResNet these were about 40 % of a training step and a third of
 * an inference pass. Here the sums are single passes in JavaScript over the wasm heap and
 * the per-channel affine maps run in XNNPACK (`npm run bench -- batch-norm` prints the
 * figures). Hand-written because no library patches this backend.
 *
 * - FusedBatchNorm (replaced): y = (x - mean) * scale / sqrt(variance + eps) + offset, as
 *   y = x * gain + shift per channel in one XNNPACK depthwise convolution.
 * - BATCH_NORM_STATS: x -> [mean, variance] over all axes but the last (biased variance,
 *   as tf.moments), accumulated in float64.
 * - BATCH_NORM_GRAD: (dy, x, mean, variance, scale) -> [dx, dScale, dOffset], the closed
 *   form of batch norm's gradient through its own batch statistics (Ioffe & Szegedy 2015,
 *   section 3).
 */

export const BATCH_NORM_STATS = 'AblateBatchNormStats';
export const BATCH_NORM_GRAD = 'AblateBatchNormGrad';

type TensorInfo = tf.TensorInfo;
type KernelArgs = Parameters<tf.KernelFunc>[0];

interface WasmLike {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/** Per-channel mean and biased variance of x over all axes but the last. */
export function channelMoments(x: Float32Array, channels: number, mean: Float32Array, variance: Float32Array): void {
  const sum = new Float64Array(channels);
  const sumSquares = new Float64Array(channels);
  const n = x.length;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    sum[c] = (sum[c] as number) + v;
    sumSquares[c] = (sumSquares[c] as number) + v * v;
    if (++c === channels) c = 0;
  }
  const rows = n / channels;
  for (let k = 0; k < channels; k++) {
    const m = (sum[k] as number) / rows;
    mean[k] = m;
    // In float64 the cancellation in E[x^2] - E[x]^2 stays far below float32 resolution.
    variance[k] = Math.max(0, (sumSquares[k] as number) / rows - m * m);
  }
}

/**
 * Gradient of y = (x - mean(x)) * scale / sqrt(var(x) + eps) + offset with the batch's own
 * statistics: dOffset = sum(dy), dScale = sum(dy * xhat), and
 * dx = scale / std * (dy - dOffset / M - xhat * dScale / M), M rows, xhat = (x - mean) / std,
 * which is dx = a * dy + b * x + d per channel. One pass over dy and x for the sums; returns
 * the per-channel coefficients.
 */
export function batchNormGradientCoefficients(
  dy: Float32Array,
  x: Float32Array,
  stats: { mean: Float32Array; variance: Float32Array; scale?: Float32Array | undefined },
  epsilon: number,
): { a: Float32Array; b: Float32Array; d: Float32Array; dScale: Float32Array; dOffset: Float32Array } {
  const channels = stats.mean.length;
  const n = x.length;
  const rows = n / channels;
  const sumDy = new Float64Array(channels);
  const sumDyX = new Float64Array(channels);
  let c = 0;
  for (let i = 0; i < n; i++) {
    const g = dy[i] as number;
    sumDy[c] = (sumDy[c] as number) + g;
    sumDyX[c] = (sumDyX[c] as number) + g * (x[i] as number);
    if (++c === channels) c = 0;
  }
  const out = { a: new Float32Array(channels), b: new Float32Array(channels), d: new Float32Array(channels), dScale: new Float32Array(channels), dOffset: new Float32Array(channels) };
  for (let k = 0; k < channels; k++) {
    const mean = stats.mean[k] as number;
    const inverseStd = 1 / Math.sqrt((stats.variance[k] as number) + epsilon);
    const scale = stats.scale?.[k] ?? 1;
    const dOffset = sumDy[k] as number;
    const dScale = inverseStd * ((sumDyX[k] as number) - mean * dOffset);
    out.dOffset[k] = dOffset;
    out.dScale[k] = dScale;
    const gain = scale * inverseStd;
    out.a[k] = gain;
    out.b[k] = (-gain * inverseStd * dScale) / rows;
    out.d[k] = (-gain * dOffset) / rows + (gain * inverseStd * dScale * mean) / rows;
  }
  return out;
}

function lastAxis(info: TensorInfo): number {
  return info.shape[info.shape.length - 1] as number;
}

function isPerChannel(info: TensorInfo | undefined, channels: number): boolean {
  return info === undefined || (info.dtype === 'float32' && tf.util.sizeFromShape(info.shape) === channels);
}

function heap(backend: unknown): WasmLike {
  return backend as WasmLike;
}

/** Each channel's gain and shift: y = x * gain + shift is the normalisation. */
function affineOf(
  stats: { mean: Float32Array; variance: Float32Array; offset?: Float32Array | undefined; scale?: Float32Array | undefined },
  epsilon: number,
): { gain: Float32Array; shift: Float32Array } {
  const channels = stats.mean.length;
  const gain = new Float32Array(channels);
  const shift = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const g = (stats.scale?.[c] ?? 1) / Math.sqrt((stats.variance[c] as number) + epsilon);
    gain[c] = g;
    shift[c] = (stats.offset?.[c] ?? 0) - (stats.mean[c] as number) * g;
  }
  return { gain, shift };
}

/**
 * x * gain + shift per channel (last axis) as a 1x1 depthwise convolution with a bias: the
 * backend runs that in XNNPACK, several times faster than a loop in JavaScript
 * (bench/batch-norm.ts).
 */
function channelAffine(scope: KernelScope, backend: WasmLike, x: TensorInfo, gain: Float32Array, shift: Float32Array): TensorInfo {
  const channels = gain.length;
  const rows = tf.util.sizeFromShape(x.shape) / channels;
  const filter = scope.adopt(backend.makeOutput([1, 1, channels, 1], 'float32'));
  backend.typedArrayFromHeap(filter).set(gain);
  const bias = scope.adopt(backend.makeOutput([channels], 'float32'));
  backend.typedArrayFromHeap(bias).set(shift);
  const image = scope.run('Reshape', { x }, { shape: [1, 1, rows, channels] });
  const out = scope.run(
    'FusedDepthwiseConv2D',
    { x: image, filter, bias },
    { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], activation: 'linear' } as unknown as tf.NamedAttrMap,
  );
  return scope.run('Reshape', { x: out }, { shape: [...x.shape] });
}

function registerFusedBatchNorm(): void {
  wrapWasmKernel(tf.FusedBatchNorm, (originalFunc) => ((args: KernelArgs): TensorInfo | TensorInfo[] => {
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, TensorInfo | undefined>;
    if (x === undefined || mean === undefined || variance === undefined || x.dtype !== 'float32' || x.shape.length < 1) return originalFunc(args);
    const channels = lastAxis(x);
    if (channels === 0 || ![mean, variance, offset, scale].every((info) => isPerChannel(info, channels))) return originalFunc(args);
    const { varianceEpsilon } = (args.attrs ?? {}) as unknown as tf.FusedBatchNormAttrs;
    const wasm = heap(args.backend);
    const read = (info: TensorInfo | undefined) => (info === undefined ? undefined : wasm.typedArrayFromHeap(info));
    const { gain, shift } = affineOf(
      { mean: wasm.typedArrayFromHeap(mean), variance: wasm.typedArrayFromHeap(variance), offset: read(offset), scale: read(scale) },
      varianceEpsilon ?? 0.001,
    );
    return KernelScope.compose('wasm', args.backend, (scope) => channelAffine(scope, wasm, x, gain, shift));
  }) as tf.KernelFunc);
}

const statsKernel = ((args: KernelArgs): TensorInfo[] => {
  const { x } = args.inputs as { x: TensorInfo };
  const channels = lastAxis(x);
  const wasm = heap(args.backend);
  const mean = wasm.makeOutput([channels], 'float32');
  const variance = wasm.makeOutput([channels], 'float32');
  channelMoments(wasm.typedArrayFromHeap(x), channels, wasm.typedArrayFromHeap(mean), wasm.typedArrayFromHeap(variance));
  return [mean, variance];
}) as tf.KernelFunc;

const gradKernel = ((args: KernelArgs): TensorInfo[] => {
  const { dy, x, mean, variance, scale } = args.inputs as Record<string, TensorInfo>;
  const { epsilon } = args.attrs as { epsilon: number };
  const wasm = heap(args.backend);
  const k = batchNormGradientCoefficients(
    wasm.typedArrayFromHeap(dy as TensorInfo),
    wasm.typedArrayFromHeap(x as TensorInfo),
    { mean: wasm.typedArrayFromHeap(mean as TensorInfo), variance: wasm.typedArrayFromHeap(variance as TensorInfo), scale: scale === undefined ? undefined : wasm.typedArrayFromHeap(scale) },
    epsilon,
  );
  const channels = k.a.length;
  // dx = (a * dy + d) + b * x: two affine maps in XNNPACK and a same-shape add.
  const dx = KernelScope.compose('wasm', args.backend, (scope) =>
    scope.run('Add', { a: channelAffine(scope, wasm, dy as TensorInfo, k.a, k.d), b: channelAffine(scope, wasm, x as TensorInfo, k.b, new Float32Array(channels)) }),
  );
  const dScale = wasm.makeOutput([channels], 'float32');
  wasm.typedArrayFromHeap(dScale).set(k.dScale);
  const dOffset = wasm.makeOutput([channels], 'float32');
  wasm.typedArrayFromHeap(dOffset).set(k.dOffset);
  return [dx, dScale, dOffset];
}) as tf.KernelFunc;

/** Register the three kernels for the wasm backend (per thread, as the other patches). Idempotent. */
export function registerWasmBatchNorm(): void {
  registerFusedBatchNorm();
  setWasmKernel(BATCH_NORM_STATS, statsKernel);
  setWasmKernel(BATCH_NORM_GRAD, gradKernel);
}
