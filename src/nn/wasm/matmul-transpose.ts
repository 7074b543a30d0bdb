import * as tf from '@tensorflow/tfjs';
import { KernelScope } from './kernel-scope.js';
import { wrapWasmKernel } from './replace-kernel.js';

/**
 * The wasm backend's BatchMatMul is fast (XNNPACK) only without transpose flags; with
 * transposeA or transposeB it falls back to a scalar loop that measured 5-8x slower here.
 * Every dense layer's backward pass asks for exactly those flags (dW = x^T dy,
 * dx = dy W^T), so this wrapper transposes the operand explicitly and calls the original
 * kernel without flags. Written by hand because no library patches this backend.
 */

type TensorInfo = tf.TensorInfo;
type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

function swapLastAxes(scope: KernelScope, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return scope.run('Transpose', { x }, { perm });
}

export function registerWasmMatMulTranspose(): void {
  wrapWasmKernel(tf.BatchMatMul, (originalFunc) => ((args: KernelArgs): TensorInfo => {
    const attrs = (args.attrs ?? {}) as unknown as tf.BatchMatMulAttrs;
    if (!attrs.transposeA && !attrs.transposeB) return originalFunc(args as Parameters<tf.KernelFunc>[0]) as TensorInfo;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    return KernelScope.compose('wasm', args.backend, (scope) => {
      const left = attrs.transposeA ? swapLastAxes(scope, a) : a;
      const right = attrs.transposeB ? swapLastAxes(scope, b) : b;
      return originalFunc({
        inputs: { a: left, b: right },
        backend: args.backend,
        attrs: { transposeA: false, transposeB: false },
      } as Parameters<tf.KernelFunc>[0]) as TensorInfo;
    });
  }) as tf.KernelFunc);
}
