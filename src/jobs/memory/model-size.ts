import * as tf from '@tensorflow/tfjs';
import type { ResolvedExpert } from '../../config/schema/index.js';
import { featureShape } from '../../data/features/compute.js';
import { clipLength } from '../../data/audio/clip.js';
import { canonicalJson } from '../../util/hash.js';
import { buildTrialExpert } from '../expert-model.js';
import { DEFAULT_CLIP_SECONDS, DEFAULT_SAMPLE_RATE } from '../../config/schema/data.js';

/** What a training step's memory scales with, per expert. */
export interface ModelSize {
  arch: string;
  /** Floats of every layer's output for one item (what the backward pass keeps). */
  activationsPerItem: number;
  /** Floats of one input item. */
  inputPerItem: number;
  /** Trainable and non-trainable weights. */
  params: number;
}

const sizes = new Map<string, ModelSize>();

/** Layers whose output is a view of their input (no new memory). */
const views = new Set(['InputLayer', 'Reshape', 'Flatten']);

/**
 * The size of an expert on its input, from the real model built symbolically (the same
 * builder the training job uses, so an architecture's every change is counted): the sum
 * of the layers' output shapes and the weight count. Built once per distinct expert and
 * input; weights are created and freed at once (a few MB even for a wide ResNet).
 */
export function modelSize(expert: ResolvedExpert, data: { sampleRate?: number; clipSeconds?: number }): ModelSize {
  const sampleRate = data.sampleRate ?? DEFAULT_SAMPLE_RATE;
  const samples = clipLength({ sampleRate, clipSeconds: data.clipSeconds ?? DEFAULT_CLIP_SECONDS });
  const key = canonicalJson({ expert: { ...expert, pretrainDomains: null, replica: null }, sampleRate, samples } as never);
  const known = sizes.get(key);
  if (known) return known;
  const shape = featureShape(samples, sampleRate, expert.features);
  const itemShape = expert.features.kind === 'waveform' ? [shape[1]] : [...shape];
  const size = tf.tidy(() => {
    const { model } = buildTrialExpert(expert, itemShape, 0, sampleRate, 'estimate');
    let activations = 0;
    for (const layer of model.layers) {
      if (views.has(layer.getClassName())) continue;
      const outputs = (Array.isArray(layer.outputShape[0]) || layer.outputShape.length === 0 ? layer.outputShape : [layer.outputShape]) as Array<Array<number | null>>;
      for (const out of outputs) activations += out.slice(1).reduce<number>((p, d) => p * (d ?? 1), 1);
    }
    const result = { arch: expert.arch, activationsPerItem: activations, inputPerItem: itemShape.reduce((p, d) => p * d, 1), params: model.countParams() };
    model.dispose();
    return result;
  });
  sizes.set(key, size);
  return size;
}
