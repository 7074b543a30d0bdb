import * as tf from '@tensorflow/tfjs';
import { UserError } from '../util/errors.js';
import { SeededInit } from '../nn/seeded-init.js';
import { AdaptiveMaxPool2D } from './layers/adaptive-max-pool.js';
import { PlainConv2D } from './layers/conv2d.js';
import { MaxFeatureMap } from './layers/max-feature-map.js';
import { SeededDropout } from '../nn/seeded-dropout.js';
import type { BuiltExpert, ExpertBuildOptions } from './registry-types.js';
import { type ResolvedExpertSpec, scaledChannels } from '../config/expert-spec.js';
import { BatchNorm } from '../nn/batch-norm.js';

/**
 * The authors' LCNN (Negroni et al.; the ASVspoof 2021 LFCC-LCNN stack): nine convs each
 * followed by Max-Feature-Map, max pools after conv1/3/5, batch norms as in the layer
 * table of SDD.md, adaptive max pool to 16x8, fc1 -> MFM -> the embedding, BN1d, fc2.
 * Input [bins, frames] (a channel axis is added here, NHWC).
 *
 * Per layer: [name, kernel, output channels before MFM, pool after, batch norm after].
 */
const CONVS: Array<[string, number, number, boolean, boolean]> = [
  ['conv1', 5, 64, true, false],
  ['conv2', 1, 64, false, true],
  ['conv3', 3, 96, true, true],
  ['conv4', 1, 96, false, true],
  ['conv5', 3, 128, true, false],
  ['conv6', 1, 128, false, true],
  ['conv7', 3, 64, false, true],
  ['conv8', 1, 64, false, true],
  ['conv9', 3, 64, false, false],
];

/** The authors' adaptive pool size (16 x 8) before fc1. */
const POOLED: [number, number] = [16, 8];

export function buildLcnn(spec: ResolvedExpertSpec, inputShape: number[], options: ExpertBuildOptions): BuiltExpert {
  if (inputShape.length !== 2) throw new UserError(`lcnn takes [bins, frames], got [${inputShape.join(', ')}]`);
  const [bins, frames] = inputShape as [number, number];
  if (bins < 8 || frames < 8) throw new UserError(`lcnn needs at least 8 x 8 inputs (three 2x2 pools), got ${bins} x ${frames}`);
  const name = options.name;
  const init = new SeededInit(options.seed, name);
  const input = tf.input({ shape: [bins, frames], name: `${name}_input` });
  let x = tf.layers.reshape({ targetShape: [bins, frames, 1], name: `${name}_to_nhwc` }).apply(input) as tf.SymbolicTensor;
  for (const [layer, kernel, channels, pool, norm] of CONVS) {
    x = new PlainConv2D({
      name: `${name}_${layer}`,
      filters: scaledChannels(channels, spec.width, 2),
      kernelSize: kernel,
      padding: 'same',
      kernelInitializer: init.conv(layer),
    }).apply(x) as tf.SymbolicTensor;
    x = new MaxFeatureMap({ name: `${name}_${layer}_mfm` }).apply(x) as tf.SymbolicTensor;
    if (pool) x = tf.layers.maxPooling2d({ name: `${name}_${layer}_pool`, poolSize: 2, strides: 2, padding: 'valid' }).apply(x) as tf.SymbolicTensor;
    // PyTorch's BatchNorm2d defaults: eps 1e-5, momentum 0.1 (tfjs counts momentum the other way).
    if (norm) x = new BatchNorm({ name: `${name}_${layer}_bn`, epsilon: 1e-5, momentum: 0.9 }).apply(x) as tf.SymbolicTensor;
  }
  x = new AdaptiveMaxPool2D({ name: `${name}_adaptive_pool`, outputSize: POOLED }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: `${name}_flatten` }).apply(x) as tf.SymbolicTensor;
  if (spec.dropout > 0) {
    x = new SeededDropout({ name: `${name}_dropout`, rate: spec.dropout, seed: init.layerSeed('dropout', 'mask') }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.dense({ name: `${name}_fc1`, units: 2 * spec.embeddingDim, kernelInitializer: init.dense('fc1') }).apply(x) as tf.SymbolicTensor;
  const activated = new MaxFeatureMap({ name: `${name}_embedding` }).apply(x) as tf.SymbolicTensor;
  const normed = new BatchNorm({ name: `${name}_fc1_bn`, epsilon: 1e-5, momentum: 0.9 }).apply(activated) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ name: `${name}_fc2`, units: 2, kernelInitializer: init.dense('fc2') }).apply(normed) as tf.SymbolicTensor;
  // `embeddingAt`: what the gate sees, the max-feature-map's output (default) or its normalised form.
  const embedding = spec.embeddingAt === 'after-norm' ? normed : activated;
  return { model: tf.model({ name, inputs: input, outputs: [embedding, logits] }), embeddingDim: spec.embeddingDim };
}
