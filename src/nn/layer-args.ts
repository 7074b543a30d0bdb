import * as tf from '@tensorflow/tfjs';

/** tfjs-layers' LayerArgs (name, trainable, inputShape...), which the package does not export by name. */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export type Kwargs = Record<string, unknown>;

export function singleTensor(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  const tensor = Array.isArray(inputs) ? inputs[0] : inputs;
  if (tensor === undefined) throw new Error('layer called without an input tensor');
  return tensor;
}

export function singleShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  const shape = Array.isArray(inputShape[0]) ? (inputShape as tf.Shape[])[0] : (inputShape as tf.Shape);
  if (shape === undefined) throw new Error('layer called without an input shape');
  return shape;
}
