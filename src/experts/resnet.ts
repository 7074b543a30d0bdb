import * as tf from '@tensorflow/tfjs';
import { UserError } from '../util/errors.js';
import { SeededInit } from '../nn/seeded-init.js';
import { PlainConv2D } from './layers/conv2d.js';
import { SeededDropout } from '../nn/seeded-dropout.js';
import { BatchNorm } from '../nn/batch-norm.js';
import type { BuiltExpert, ExpertBuildOptions } from './registry-types.js';
import { embeddingActivation, PYTORCH_LEAK } from './embedding.js';
import type { ResolvedExpertSpec } from '../config/expert-spec.js';

/**
 * A small ResNet for spectrograms: ResNet-18-style basic blocks (two 3x3 convs with batch
 * norm, identity or 1x1-projection shortcut), one stage per `depth` entry, the first at
 * stride 1 and the others halving the resolution and doubling the channels. At width 1
 * the stages have 32, 64, 128, 256 channels (half of ResNet-18's, sized for CPU sweeps;
 * width 2 gives ResNet-18's). The stem is a 3x3 conv at stride 1 (spectrograms are small;
 * no 7x7/2 stem and max pool). Explicit `channels` replace the width's stage sizes. Global
 * average pooling, then a dense embedding with ReLU (or `embeddingActivation`),
 * then the logits. Input [bins, frames].
 */
export function buildResnet(spec: ResolvedExpertSpec, inputShape: number[], options: ExpertBuildOptions): BuiltExpert {
  if (inputShape.length !== 2) throw new UserError(`resnet takes [bins, frames], got [${inputShape.join(', ')}]`);
  const [bins, frames] = inputShape as [number, number];
  const name = options.name;
  const init = new SeededInit(options.seed, name);
  const bn = (layer: string, x: tf.SymbolicTensor): tf.SymbolicTensor =>
    new BatchNorm({ name: `${name}_${layer}`, epsilon: 1e-5, momentum: 0.9 }).apply(x) as tf.SymbolicTensor;
  const conv = (layer: string, x: tf.SymbolicTensor, filters: number, kernel: number, stride: number): tf.SymbolicTensor =>
    new PlainConv2D({ name: `${name}_${layer}`, filters, kernelSize: kernel, strides: stride, padding: 'same', useBias: false, kernelInitializer: init.conv(layer) }).apply(
      x,
    ) as tf.SymbolicTensor;
  const relu = (layer: string, x: tf.SymbolicTensor): tf.SymbolicTensor => tf.layers.reLU({ name: `${name}_${layer}` }).apply(x) as tf.SymbolicTensor;

  const input = tf.input({ shape: [bins, frames], name: `${name}_input` });
  let x = tf.layers.reshape({ targetShape: [bins, frames, 1], name: `${name}_to_nhwc` }).apply(input) as tf.SymbolicTensor;
  // spec.channels: the stages' channels (`channels` in the sweep, else 32 x 2^stage x width).
  let channels = spec.channels[0] as number;
  x = relu('stem_relu', bn('stem_bn', conv('stem', x, channels, 3, 1)));
  spec.depth.forEach((blocks, stage) => {
    const stageChannels = spec.channels[stage] as number;
    for (let block = 0; block < blocks; block++) {
      const stride = stage > 0 && block === 0 ? 2 : 1;
      const id = `s${stage + 1}b${block + 1}`;
      let shortcut = x;
      if (stride !== 1 || stageChannels !== channels) {
        shortcut = bn(`${id}_proj_bn`, conv(`${id}_proj`, x, stageChannels, 1, stride));
      }
      let y = relu(`${id}_relu1`, bn(`${id}_bn1`, conv(`${id}_conv1`, x, stageChannels, 3, stride)));
      y = bn(`${id}_bn2`, conv(`${id}_conv2`, y, stageChannels, 3, 1));
      x = relu(`${id}_relu2`, tf.layers.add({ name: `${name}_${id}_add` }).apply([y, shortcut]) as tf.SymbolicTensor);
      channels = stageChannels;
    }
  });
  x = tf.layers.globalAveragePooling2d({ name: `${name}_pool` }).apply(x) as tf.SymbolicTensor;
  if (spec.dropout > 0) {
    x = new SeededDropout({ name: `${name}_dropout`, rate: spec.dropout, seed: init.layerSeed('dropout', 'mask') }).apply(x) as tf.SymbolicTensor;
  }
  // The dense layer keeps its name (`_embedding`) so stored weights load whatever the activation.
  const projected = tf.layers.dense({ name: `${name}_embedding`, units: spec.embeddingDim, kernelInitializer: init.dense('embedding') }).apply(x) as tf.SymbolicTensor;
  const embedding = embeddingActivation(spec.embeddingActivation, `${name}_embedding_act`, projected, PYTORCH_LEAK);
  const logits = tf.layers.dense({ name: `${name}_logits`, units: 2, kernelInitializer: init.dense('logits') }).apply(embedding) as tf.SymbolicTensor;
  return { model: tf.model({ name, inputs: input, outputs: [embedding, logits] }), embeddingDim: spec.embeddingDim };
}
