import * as tf from '@tensorflow/tfjs';
import { type Kwargs, type LayerArgs, singleShape, singleTensor } from '../../nn/layer-args.js';

/**
 * The Enhanced MoE's cross term (ICASSP 2025 code): the element-wise product of the
 * experts' projected embeddings times a learned vector, one feature vector that lets the
 * gate see how the experts agree. Input: the projections as tokens [batch, experts, dim];
 * output [batch, dim]. The learned vector starts at ones (the plain product). Products of
 * slices rather than tf.prod, whose gradient some backends lack.
 */
export class CrossTerm extends tf.layers.Layer {
  static readonly className = 'CrossTerm';
  private scale: tf.LayerVariable | null = null;

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const dim = singleShape(inputShape)[2];
    if (typeof dim !== 'number') throw new Error('CrossTerm needs inputs of a known width');
    this.scale = this.addWeight('scale', [dim], 'float32', tf.initializers.ones());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, , dim] = singleShape(inputShape);
    return [batch ?? null, dim ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const x = singleTensor(inputs);
    return tf.tidy(() => {
      const [batch, experts, dim] = x.shape as [number, number, number];
      let product: tf.Tensor = tf.reshape(tf.slice(x, [0, 0, 0], [batch, 1, dim]), [batch, dim]);
      for (let e = 1; e < experts; e++) product = tf.mul(product, tf.reshape(tf.slice(x, [0, e, 0], [batch, 1, dim]), [batch, dim]));
      return tf.mul(product, (this.scale as tf.LayerVariable).read());
    });
  }
}

tf.serialization.registerClass(CrossTerm);
