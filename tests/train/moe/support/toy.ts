import * as tf from '@tensorflow/tfjs';
import { buildExpert } from '../../../../src/experts/registry.js';
import type { ExpertSpec } from '../../../../src/config/expert-spec.js';
import type { MixtureMember, MultiInputData } from '../../../../src/train/moe/index.js';
import { stripeSpectra } from '../../support/synthetic.js';

/**
 * A separable toy problem with two inputs per item, as a MILE mixture reads two feature
 * configs: input 0 [16 bins, 24 frames], input 1 [12, 24], both carrying the class's
 * stripe (stripeSpectra labels item i bona fide when i is even, whatever the seed).
 */
export function toyData(count: number, seed: number): MultiInputData {
  const a = stripeSpectra(count, 16, 24, seed);
  const b = stripeSpectra(count, 12, 24, seed + 1000);
  return { inputs: [{ x: a.x, itemShape: a.itemShape }, { x: b.x, itemShape: b.itemShape }], labels: a.labels };
}

export const INPUT_SHAPES = [
  [16, 24],
  [12, 24],
];

/** A CPU-sized expert: a one-stage ResNet at quarter width (fast on wasm). */
export const TINY_RESNET: ExpertSpec = { arch: 'resnet', depth: [1], width: 0.25, embeddingDim: 8 };

/** Three tiny experts: two on input 0 (different seeds), one on input 1. */
export function tinyExperts(seed: number, spec: ExpertSpec = TINY_RESNET): MixtureMember[] {
  const inputs = [0, 1, 0];
  return inputs.map((input, i) => ({ expert: buildExpert(spec, INPUT_SHAPES[input] as number[], seed + i, { name: `expert${i}` }), input }));
}

export function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.weights.map((weight) => (weight.read().dataSync() as Float32Array).slice());
}

export function batchTensors(data: MultiInputData, count: number): { inputs: tf.Tensor[]; labels: tf.Tensor1D } {
  return {
    inputs: data.inputs.map((input) => tf.tensor(input.x.subarray(0, count * input.itemShape.reduce((a, b) => a * b, 1)), [count, ...input.itemShape])),
    labels: tf.tensor1d(Array.from(data.labels).slice(0, count), 'int32'),
  };
}
