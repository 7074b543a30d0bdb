import * as tf from '@tensorflow/tfjs';
import { type Kwargs, type LayerArgs, singleTensor } from '../../nn/layer-args.js';

/** Element-wise |x| (SincNet rectifies its filter outputs); tfjs-layers has no abs activation. */
export class Abs extends tf.layers.Layer {
  static readonly className = 'Abs';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.abs(singleTensor(inputs));
  }
}

tf.serialization.registerClass(Abs);
