import * as tf from '@tensorflow/tfjs';
import { UserError } from '../util/errors.js';
import { SeededInit } from '../nn/seeded-init.js';
import { SeededDropout } from '../nn/seeded-dropout.js';
import { Abs as AbsLayer } from './layers/abs.js';
import { SincConv1D } from './layers/sinc-conv.js';
import type { BuiltExpert, ExpertBuildOptions } from './registry-types.js';
import { embeddingActivation } from './embedding.js';
import { type ResolvedExpertSpec, scaledChannels } from '../config/expert-spec.js';
import { BatchNorm } from '../nn/batch-norm.js';

/**
 * A small raw-waveform expert with a SincNet/RawNet2-style front end: learnable band-pass
 * sinc filters (32 x width, 129 taps, about 8 ms at 16 kHz), |.|, max pool 3, batch norm,
 * LeakyReLU; then one stage per `depth` entry of 1-D conv blocks (conv 3 -> BN ->
 * LeakyReLU, max pool 3 at the end of each stage; 32 then 64 ... channels x width);
 * global average and max pooling over time, concatenated; a dense embedding with LeakyReLU;
 * the logits. RawNet2's GRU is left out (recurrent layers are slow on CPU backends).
 * Input [samples].
 */
const SINC_FILTERS = 32;
const SINC_TAPS = 129;
const POOL = 3;
const LEAK = 0.3;

export function buildSincnet(spec: ResolvedExpertSpec, inputShape: number[], options: ExpertBuildOptions): BuiltExpert {
  if (inputShape.length !== 1) throw new UserError(`sincnet takes [samples], got [${inputShape.join(', ')}]`);
  const [samples] = inputShape as [number];
  const minimum = SINC_TAPS + POOL ** (spec.depth.length + 1);
  if (samples < minimum) throw new UserError(`sincnet needs at least ${minimum} samples, got ${samples}`);
  const name = options.name;
  const init = new SeededInit(options.seed, name);
  const bn = (layer: string, x: tf.SymbolicTensor): tf.SymbolicTensor =>
    new BatchNorm({ name: `${name}_${layer}`, epsilon: 1e-5, momentum: 0.9 }).apply(x) as tf.SymbolicTensor;
  const leaky = (layer: string, x: tf.SymbolicTensor): tf.SymbolicTensor => tf.layers.leakyReLU({ name: `${name}_${layer}`, alpha: LEAK }).apply(x) as tf.SymbolicTensor;
  const pool = (layer: string, x: tf.SymbolicTensor): tf.SymbolicTensor =>
    tf.layers.maxPooling1d({ name: `${name}_${layer}`, poolSize: POOL, strides: POOL, padding: 'valid' }).apply(x) as tf.SymbolicTensor;

  const input = tf.input({ shape: [samples], name: `${name}_input` });
  let x = tf.layers.reshape({ targetShape: [samples, 1], name: `${name}_to_nwc` }).apply(input) as tf.SymbolicTensor;
  const filters = scaledChannels(SINC_FILTERS, spec.width);
  x = new SincConv1D({ name: `${name}_sinc`, filters, kernelSize: SINC_TAPS, sampleRate: spec.sampleRate }).apply(x) as tf.SymbolicTensor;
  x = new AbsLayer({ name: `${name}_abs` }).apply(x) as tf.SymbolicTensor;
  x = leaky('sinc_act', bn('sinc_bn', pool('sinc_pool', x)));
  spec.depth.forEach((blocks, stage) => {
    const channels = scaledChannels(32 * 2 ** stage, spec.width);
    for (let block = 0; block < blocks; block++) {
      const id = `s${stage + 1}b${block + 1}`;
      x = tf.layers
        .conv1d({ name: `${name}_${id}_conv`, filters: channels, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init.conv(`${id}_conv`) })
        .apply(x) as tf.SymbolicTensor;
      x = leaky(`${id}_act`, bn(`${id}_bn`, x));
    }
    x = pool(`s${stage + 1}_pool`, x);
  });
  const average = tf.layers.globalAveragePooling1d({ name: `${name}_avg` }).apply(x) as tf.SymbolicTensor;
  const maximum = tf.layers.globalMaxPooling1d({ name: `${name}_max` }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.concatenate({ name: `${name}_pooled` }).apply([average, maximum]) as tf.SymbolicTensor;
  if (spec.dropout > 0) {
    x = new SeededDropout({ name: `${name}_dropout`, rate: spec.dropout, seed: init.layerSeed('dropout', 'mask') }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.dense({ name: `${name}_embedding_fc`, units: spec.embeddingDim, kernelInitializer: init.dense('embedding') }).apply(x) as tf.SymbolicTensor;
  const embedding = embeddingActivation(spec.embeddingActivation, `${name}_embedding`, x, LEAK);
  const logits = tf.layers.dense({ name: `${name}_logits`, units: 2, kernelInitializer: init.dense('logits') }).apply(embedding) as tf.SymbolicTensor;
  return { model: tf.model({ name, inputs: input, outputs: [embedding, logits] }), embeddingDim: spec.embeddingDim };
}
