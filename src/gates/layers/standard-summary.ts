import * as tf from '@tensorflow/tfjs';
import { type Kwargs, type LayerArgs, singleShape, singleTensor } from '../../nn/layer-args.js';

export interface StandardSummaryArgs extends LayerArgs {
  /** Segments along time: one token each (1 for the MLP gate: a single vector). */
  segments: number;
}

/**
 * What a `standard` gate sees of an expert's input, summarised so the gate stays small
 * whatever the clip length:
 * - spectral items [bins, frames] (any rank >= 2: the last axis is time, the others are
 *   flattened into bins): the time axis is cut into `segments` nearly equal parts and
 *   each part becomes the per-bin mean and standard deviation over its frames, so
 *   [batch, segments, 2 * bins];
 * - waveforms [samples]: the raw samples cut into `segments` equal parts (the remainder
 *   dropped), [batch, segments, floor(samples / segments)]; the gate's first dense layer
 *   is the down-projection (the authors' standard gate is Linear(waveform -> experts)).
 * No weights; the input is data, so no gradient flows through here.
 */
export class StandardSummary extends tf.layers.Layer {
  static readonly className = 'StandardSummary';
  readonly segments: number;

  constructor(args: StandardSummaryArgs) {
    super(args);
    if (!Number.isInteger(args.segments) || args.segments < 1) throw new Error(`segments must be an integer >= 1, got ${args.segments}`);
    this.segments = args.segments;
  }

  /** The per-token feature count for items of `itemShape`. */
  static tokenFeatures(itemShape: readonly number[], segments: number): number {
    if (itemShape.length === 1) return Math.floor((itemShape[0] ?? 0) / segments);
    return 2 * itemShape.slice(0, -1).reduce((product, dim) => product * dim, 1);
  }

  /** Segments actually used: never more than there are frames (or samples). */
  static segmentsFor(itemShape: readonly number[], segments: number): number {
    return Math.max(1, Math.min(segments, itemShape[itemShape.length - 1] ?? 1));
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = singleShape(inputShape);
    const item = shape.slice(1) as number[];
    return [shape[0] ?? null, this.segments, StandardSummary.tokenFeatures(item, this.segments)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const x = singleTensor(inputs);
    return tf.tidy(() => {
      const batch = x.shape[0] as number;
      const item = x.shape.slice(1);
      if (item.length === 1) {
        const length = Math.floor((item[0] as number) / this.segments);
        const used = length * this.segments === item[0] ? x : tf.slice(x, [0, 0], [batch, length * this.segments]);
        return tf.reshape(used, [batch, this.segments, length]);
      }
      const frames = item[item.length - 1] as number;
      const bins = item.slice(0, -1).reduce((product, dim) => product * dim, 1);
      const flat = tf.reshape(x, [batch, bins, frames]);
      const tokens: tf.Tensor[] = [];
      for (let s = 0; s < this.segments; s++) {
        const start = Math.floor((s * frames) / this.segments);
        const end = Math.floor(((s + 1) * frames) / this.segments);
        const part = this.segments === 1 ? flat : tf.slice(flat, [0, 0, start], [batch, bins, end - start]);
        const { mean, variance } = tf.moments(part, 2);
        tokens.push(tf.concat([mean, tf.sqrt(variance)], 1));
      }
      return tf.stack(tokens, 1);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), segments: this.segments };
  }
}

tf.serialization.registerClass(StandardSummary);
