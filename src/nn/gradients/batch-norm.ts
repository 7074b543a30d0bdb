import * as tf from '@tensorflow/tfjs';

/**
 * The gradient of FusedBatchNorm (every batch-norm layer in training) with broadcasting
 * where tfjs-core's tiles: its input gradient builds an activation-sized copy of
 * 1/sqrt(variance) with tile (100 ms for one LCNN layer at batch 32 on wasm). Same formulas otherwise
 * (tfjs-core 4.22 FusedBatchNorm_grad), so results agree to rounding. Registered for all
 * backends by initBackend; the gradient registry is global within a thread.
 */

let registered = false;

export function registerBatchNormGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: tf.FusedBatchNorm,
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, saved, attrs) => {
      const gradient = dy as tf.Tensor;
      const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
      const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
      const scaleValue = scale ?? tf.scalar(1);
      const reductionAxes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
      const reduce = (t: tf.Tensor): tf.Tensor => tf.reshape(reductionAxes.length > 0 ? tf.sum(t, reductionAxes) : t, mean.shape);
      const inverseStd = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
      // Shared by two gradients each; computed here (as tfjs-core does) because every
      // gradient closure runs in its own tidy and could not hand them on.
      const xMinusMean = tf.sub(x, mean);
      const dyTimesScale = tf.mul(gradient, scaleValue);
      return {
        x: () => tf.reshape(tf.mul(gradient, tf.mul(inverseStd, scaleValue)), x.shape),
        mean: () => reduce(tf.mul(tf.mul(inverseStd, -1), dyTimesScale)),
        variance: () => reduce(tf.mul(tf.mul(tf.mul(tf.pow(inverseStd, 3), -0.5), xMinusMean), dyTimesScale)),
        scale: () => reduce(tf.mul(gradient, tf.mul(xMinusMean, inverseStd))),
        offset: () => reduce(gradient),
      };
    },
  });
}
