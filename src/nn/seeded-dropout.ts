import * as tf from '@tensorflow/tfjs';
import { layerStepSeed } from './step-seed.js';
import { type Kwargs, type LayerArgs, singleTensor } from './layer-args.js';

export interface SeededDropoutArgs extends LayerArgs {
  rate: number;
  /** Used only outside a training-loop step (see layerStepSeed). */
  seed: number;
}

/**
 * Dropout whose masks are reproducible and differ between steps. tfjs-layers' Dropout
 * either takes a fixed seed (and then drops the same units at every step, because each
 * call restarts the generator) or uses Math.random; this one asks the training step's
 * seed scope for a fresh seed per step.
 */
export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'SeededDropout';
  readonly rate: number;
  readonly seed: number;

  constructor(args: SeededDropoutArgs) {
    super(args);
    if (!(args.rate >= 0 && args.rate < 1)) throw new Error(`dropout rate must be in [0, 1), got ${args.rate}`);
    this.rate = args.rate;
    this.seed = args.seed;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = singleTensor(inputs);
    if (kwargs['training'] !== true || this.rate === 0) return tf.clone(x);
    return tf.dropout(x, this.rate, undefined, layerStepSeed(this.name, this.seed));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

tf.serialization.registerClass(SeededDropout);
