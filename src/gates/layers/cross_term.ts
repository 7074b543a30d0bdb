import * as tf from '@tensorflow/tfjs';
import type { Kwargs, LayerArgs } from '../../experts/layers/layer_args.js';

/**
 * The Enhanced MoE's cross term (ICASSP 2025 code): the element-wise product of the
 * experts' projected embeddings times a learned vector, one feature vector that lets the
 * gate see how the experts agree. Inputs: n tensors [batch, dim]; output [batch, dim].
 * The learned vector starts at ones (the plain product).
 */
export class CrossTerm extends tf.layers.Layer {
  static readonly className = 'CrossTerm';
  private scale: tf.LayerVariable | null = null;

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as tf.Shape[];
    const dim = shapes[0]?.[1];
    if (typeof dim !== 'number') throw new Error('CrossTerm needs inputs of a known width');
    this.scale = this.addWeight('scale', [dim], 'float32', tf.initializers.ones());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as tf.Shape[];
    return shapes[0] as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const parts = Array.isArray(inputs) ? inputs : [inputs];
    return tf.tidy(() => {
      let product = parts[0] as tf.Tensor;
      for (const part of parts.slice(1)) product = tf.mul(product, part);
      return tf.mul(product, (this.scale as tf.LayerVariable).read());
    });
  }
}

tf.serialization.registerClass(CrossTerm);
