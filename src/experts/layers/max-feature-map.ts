import * as tf from '@tensorflow/tfjs';
import { maxFeatureMap } from '../kernels/max-feature-map.js';
import { type Kwargs, type LayerArgs, singleShape, singleTensor } from '../../nn/layer-args.js';

/**
 * Max-Feature-Map (Wu et al., LCNN): split the channel axis (last) in two halves and keep
 * the element-wise maximum, halving the channels. Hand-written: tfjs-layers has no MFM
 * (the op is a fused kernel on wasm and cpu, see kernels/max-feature-map.ts).
 */
export class MaxFeatureMap extends tf.layers.Layer {
  static readonly className = 'MaxFeatureMap';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = [...singleShape(inputShape)];
    const channels = shape[shape.length - 1];
    if (typeof channels !== 'number' || channels % 2 !== 0) {
      throw new Error(`MaxFeatureMap needs an even number of channels, got ${String(channels)}`);
    }
    shape[shape.length - 1] = channels / 2;
    return shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return maxFeatureMap(singleTensor(inputs));
  }
}

tf.serialization.registerClass(MaxFeatureMap);
