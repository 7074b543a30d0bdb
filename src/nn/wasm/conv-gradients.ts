import * as tf from '@tensorflow/tfjs';
import { KernelScope } from './kernel-scope.js';
import { setWasmKernel } from './replace-kernel.js';

/**
 * Convolution gradients for the wasm backend, expressed with its fast (XNNPACK) Conv2D.
 *
 * Why by hand: tfjs-backend-wasm 4.x has no Conv2DBackpropFilter kernel at all (training
 * any conv net fails) and its Conv2DBackpropInput is a naive scalar loop. No library
 * provides these kernels for the wasm backend, so they are composed here from kernels
 * the backend does have (Conv2D, Transpose, Reverse, PadV2, Slice, Reshape, BatchMatMul):
 * - dW is a convolution of the input, with channels moved to the batch axis, by dy used as
 *   the filter, dilated by the stride (`convFilterGradient`);
 * - dx is a stride-1 convolution of dy, zero-dilated by the stride and padded, with the
 *   filter rotated by 180 degrees and its in/out channels swapped (`convInputGradient`).
 * Only NHWC and dilation 1 in the forward conv are supported (what tfjs-layers and ablate
 * use); anything else throws so it is never silently wrong.
 */

type TensorInfo = tf.TensorInfo;
type Shape4 = [number, number, number, number];
type Pad = tf.Conv2DBackpropFilterAttrs['pad'];

interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

function geometry(
  inputShape: Shape4,
  filterShape: Shape4,
  strides: [number, number] | number,
  pad: Pad,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
  dataFormat: 'NHWC' | 'NCHW',
): ConvGeometry {
  if (dataFormat !== 'NHWC') throw new Error(`wasm conv gradients support NHWC only, got ${dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * Convolve `x` (NHWC) with explicit per-side padding that may be negative; negative
 * padding crops, which Conv2D cannot express.
 */
function convWithSignedPadding(
  scope: KernelScope,
  x: TensorInfo,
  filter: TensorInfo,
  pads: { top: number; bottom: number; left: number; right: number },
  dilations: [number, number],
): TensorInfo {
  const [n, h, w, c] = x.shape as Shape4;
  const cropTop = Math.max(0, -pads.top);
  const cropBottom = Math.max(0, -pads.bottom);
  const cropLeft = Math.max(0, -pads.left);
  const cropRight = Math.max(0, -pads.right);
  let input = x;
  if (cropTop + cropBottom + cropLeft + cropRight > 0) {
    input = scope.run(
      'Slice',
      { x },
      { begin: [0, cropTop, cropLeft, 0], size: [n, h - cropTop - cropBottom, w - cropLeft - cropRight, c] },
    );
  }
  const explicit: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [Math.max(0, pads.top), Math.max(0, pads.bottom)],
    [Math.max(0, pads.left), Math.max(0, pads.right)],
    [0, 0],
  ];
  return scope.run(
    'Conv2D',
    { x: input, filter },
    { strides: [1, 1], pad: explicit, dataFormat: 'NHWC', dilations },
  );
}

/** dL/dW for y = conv2d(x, W). */
export function convFilterGradient(scope: KernelScope, x: TensorInfo, dy: TensorInfo, attrs: tf.Conv2DBackpropFilterAttrs): TensorInfo {
  const g = geometry(x.shape as Shape4, attrs.filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode, attrs.dataFormat);
  const pointwise = g.filterHeight === 1 && g.filterWidth === 1 && g.padTop === 0 && g.padLeft === 0;
  if (pointwise) {
    // A 1x1 kernel's gradient is one matrix product over all output positions.
    let sampled = x;
    if (g.strideHeight > 1 || g.strideWidth > 1) {
      sampled = scope.run(
        'StridedSlice',
        { x },
        {
          begin: [0, 0, 0, 0],
          end: [g.batch, g.inHeight, g.inWidth, g.inChannels],
          strides: [1, g.strideHeight, g.strideWidth, 1],
          beginMask: 0,
          endMask: 0,
          ellipsisMask: 0,
          newAxisMask: 0,
          shrinkAxisMask: 0,
        },
      );
    }
    const positions = g.batch * g.outHeight * g.outWidth;
    // Transposed explicitly: the backend's BatchMatMul is slow with transpose flags.
    const columns = scope.run('Reshape', { x: sampled }, { shape: [1, positions, g.inChannels] });
    const a = scope.run('Transpose', { x: columns }, { perm: [0, 2, 1] });
    const b = scope.run('Reshape', { x: dy }, { shape: [1, positions, g.outChannels] });
    const product = scope.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
    return scope.run('Reshape', { x: product }, { shape: [1, 1, g.inChannels, g.outChannels] });
  }
  // Channels become the batch and the batch becomes channels: out[ci, kh, kw, co] =
  // sum over (b, oh, ow) of x[b, oh*s + kh - pad, ow*s + kw - pad, ci] * dy[b, oh, ow, co],
  // a convolution of xT [ci, H, W, b] with dyT [OH, OW, b, co] at dilation = stride.
  const xT = scope.run('Transpose', { x }, { perm: [3, 1, 2, 0] });
  const dyT = scope.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const padBottom = (g.outHeight - 1) * g.strideHeight + g.filterHeight - g.inHeight - g.padTop;
  const padRight = (g.outWidth - 1) * g.strideWidth + g.filterWidth - g.inWidth - g.padLeft;
  const gradT = convWithSignedPadding(
    scope,
    xT,
    dyT,
    { top: g.padTop, bottom: padBottom, left: g.padLeft, right: padRight },
    [g.strideHeight, g.strideWidth],
  );
  return scope.run('Transpose', { x: gradT }, { perm: [1, 2, 0, 3] });
}

/** dL/dx for y = conv2d(x, W). */
export function convInputGradient(scope: KernelScope, dy: TensorInfo, filter: TensorInfo, attrs: tf.Conv2DBackpropInputAttrs): TensorInfo {
  const g = geometry(attrs.inputShape, filter.shape as Shape4, attrs.strides, attrs.pad, attrs.dimRoundingMode, attrs.dataFormat);
  // Rotate the kernel by 180 degrees and swap its channel axes: [KH, KW, co, ci].
  const flipped = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
  const rotated = scope.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });

  let spread = dy;
  let rows = g.outHeight;
  let cols = g.outWidth;
  if (g.strideHeight > 1 || g.strideWidth > 1) {
    // Zero-dilate dy: put each value at stride multiples, zeros in between (and after the
    // last one, which the padding below accounts for).
    const expanded = scope.run('Reshape', { x: dy }, { shape: [g.batch, g.outHeight, 1, g.outWidth, 1, g.outChannels] });
    const padded = scope.run(
      'PadV2',
      { x: expanded },
      {
        paddings: [[0, 0], [0, 0], [0, g.strideHeight - 1], [0, 0], [0, g.strideWidth - 1], [0, 0]],
        constantValue: 0,
      },
    );
    rows = g.outHeight * g.strideHeight;
    cols = g.outWidth * g.strideWidth;
    spread = scope.run('Reshape', { x: padded }, { shape: [g.batch, rows, cols, g.outChannels] });
  }
  // The transposed conv needs H + KH - 1 padded rows with the first data row at KH-1-padTop.
  const top = g.filterHeight - 1 - g.padTop;
  const left = g.filterWidth - 1 - g.padLeft;
  const bottom = g.inHeight + g.filterHeight - 1 - top - rows;
  const right = g.inWidth + g.filterWidth - 1 - left - cols;
  return convWithSignedPadding(scope, spread, rotated, { top, bottom, left, right }, [1, 1]);
}

function filterGradientKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  return KernelScope.compose('wasm', args.backend, (scope) => convFilterGradient(scope, x, dy, args.attrs as unknown as tf.Conv2DBackpropFilterAttrs));
}

function inputGradientKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  return KernelScope.compose('wasm', args.backend, (scope) => convInputGradient(scope, dy, filter, args.attrs as unknown as tf.Conv2DBackpropInputAttrs));
}

/**
 * Register the replacement kernels for the wasm backend. Kernel registries are per
 * module instance, so every worker thread calls this before training (initBackend does).
 * Idempotent.
 */
export function registerWasmConvGradients(): void {
  setWasmKernel(tf.Conv2DBackpropFilter, filterGradientKernel as unknown as tf.KernelFunc);
  setWasmKernel(tf.Conv2DBackpropInput, inputGradientKernel as unknown as tf.KernelFunc);
}
