import * as tf from '@tensorflow/tfjs';
import { type Kwargs, type LayerArgs, singleShape, singleTensor } from './layer-args.js';
import { BATCH_NORM_GRAD, BATCH_NORM_STATS } from './wasm/batch-norm.js';

export interface BatchNormArgs extends LayerArgs {
  /** Added to the variance (PyTorch's default is 1e-5). */
  epsilon: number;
  /** Keras convention: moving = moving * momentum + batch * (1 - momentum) (PyTorch's 0.1 is 0.9 here). */
  momentum: number;
}

/**
 * Batch normalisation over the last axis, with the weights, moving statistics and results
 * of tfjs-layers' BatchNormalization (same weight names, so checkpoints and the PyTorch
 * trainer's name mapping are unchanged), but a training step that backpropagates through
 * the batch statistics in closed form (one kernel) instead of tfjs's autodiff through
 * tf.moments (about twenty broadcast kernels per layer, 40 % of a ResNet training step on
 * wasm). On the wasm backend the statistics and the gradient are single passes over the
 * heap (nn/wasm/batch-norm.ts); other backends compute the same formulas with tf ops.
 */
export class BatchNorm extends tf.layers.Layer {
  static readonly className = 'AblateBatchNorm';
  /** Mutable: batch-norm recalibration sets it per batch. */
  momentum: number;
  readonly epsilon: number;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;
  private movingMean: tf.LayerVariable | null = null;
  private movingVariance: tf.LayerVariable | null = null;

  constructor(args: BatchNormArgs) {
    super(args);
    this.epsilon = args.epsilon;
    this.momentum = args.momentum;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = singleShape(inputShape);
    const channels = shape[shape.length - 1];
    if (typeof channels !== 'number') throw new Error(`${this.name}: the input needs a known last axis`);
    // The order and names of tfjs-layers' BatchNormalization.
    this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones(), undefined, true);
    this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros(), undefined, true);
    this.movingMean = this.addWeight('moving_mean', [channels], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [channels], 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const { gamma, beta, movingMean, movingVariance } = this;
    if (gamma === null || beta === null || movingMean === null || movingVariance === null) throw new Error(`${this.name} used before build`);
    return tf.tidy(() => {
      const x = singleTensor(inputs);
      if (kwargs['training'] !== true) return tf.batchNorm(x, movingMean.read(), movingVariance.read(), beta.read(), gamma.read(), this.epsilon);
      const { y, mean, variance } = normaliseWithBatchStatistics(x, gamma.read(), beta.read(), this.epsilon);
      // tfjs-layers' update, op for op: moving -= (moving - batch) * (1 - momentum).
      const decay = 1 - this.momentum;
      for (const [variable, value] of [
        [movingMean, mean],
        [movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          const original = variable.read();
          variable.write(tf.sub(original, tf.mul(tf.sub(original, value), decay)));
        });
      }
      // Kept out of the tidy by normaliseWithBatchStatistics; done with them now.
      tf.dispose([mean, variance]);
      return y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon, momentum: this.momentum };
  }
}

tf.serialization.registerClass(BatchNorm);

function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/**
 * y = (x - mean) * gamma / sqrt(variance + eps) + beta with the batch's own statistics over
 * all axes but the last, differentiable in x, gamma and beta; also returns the statistics
 * (not differentiated: they only feed the moving averages; kept out of any tidy, so the
 * caller disposes them).
 */
export function normaliseWithBatchStatistics(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const axes = [...Array(x.rank - 1).keys()];
  let mean: tf.Tensor | null = null;
  let variance: tf.Tensor | null = null;
  const normalise = tf.customGrad((...args: unknown[]) => {
    const [input, scale, offset, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    // Inside customGrad's forward nothing is taped: the statistics need no gradient of their own.
    const moments = hasKernel(BATCH_NORM_STATS)
      ? (tf.engine().runKernel(BATCH_NORM_STATS, { x: input }, {}) as tf.Tensor[])
      : (() => {
          const m = tf.moments(input, axes);
          return [m.mean, m.variance];
        })();
    const [batchMean, batchVariance] = moments as [tf.Tensor, tf.Tensor];
    mean = tf.keep(batchMean);
    variance = tf.keep(batchVariance);
    save([input, batchMean, batchVariance, scale]);
    return {
      value: tf.batchNorm(input, batchMean, batchVariance, offset, scale, epsilon),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => batchNormGradient(dy, saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor], axes, epsilon),
    };
  });
  const y = normalise(x, gamma, beta);
  if (mean === null || variance === null) throw new Error('batch statistics were not computed');
  return { y, mean, variance };
}

function batchNormGradient(dy: tf.Tensor, saved: [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor], axes: number[], epsilon: number): tf.Tensor[] {
  const [x, mean, variance, scale] = saved;
  if (hasKernel(BATCH_NORM_GRAD)) {
    return tf.engine().runKernel(BATCH_NORM_GRAD, { dy, x, mean, variance, scale }, { epsilon } as unknown as tf.NamedAttrMap) as tf.Tensor[];
  }
  // The same closed form with tf ops (Ioffe & Szegedy 2015, section 3).
  const rows = x.size / (mean.size || 1);
  const inverseStd = tf.rsqrt(tf.add(variance, epsilon));
  const xHat = tf.mul(tf.sub(x, mean), inverseStd);
  const dOffset = tf.sum(dy, axes);
  const dScale = tf.sum(tf.mul(dy, xHat), axes);
  const centred = tf.sub(tf.sub(dy, tf.div(dOffset, rows)), tf.mul(xHat, tf.div(dScale, rows)));
  const dx = tf.mul(centred, tf.mul(scale, inverseStd));
  return [dx, dScale, dOffset];
}
