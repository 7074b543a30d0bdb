import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../util/rng.js';

type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

/**
 * Seeded initialisers for one model: every weight gets its own seed derived from the
 * build seed, the model name and the layer name, so two builds with the same seed are
 * identical and adding a layer does not shift the others' values.
 */
export class SeededInit {
  constructor(
    private readonly seed: number,
    private readonly scope: string,
  ) {}

  layerSeed(layer: string, purpose = 'kernel'): number {
    return deriveSeed(this.seed, this.scope, layer, purpose);
  }

  /** Xavier/Glorot uniform, the authors' init for linear layers. */
  dense(layer: string): Initializer {
    return tf.initializers.glorotUniform({ seed: this.layerSeed(layer) });
  }

  /**
   * PyTorch's default for conv layers (kaiming_uniform with a = sqrt(5), i.e.
   * U(-1/sqrt(fan_in), 1/sqrt(fan_in))), which the authors' code leaves in place.
   */
  conv(layer: string): Initializer {
    return tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed: this.layerSeed(layer) });
  }
}
