import * as tf from '@tensorflow/tfjs';
import type { EmbeddingActivation } from '../config/expert-spec.js';

/** PyTorch's nn.LeakyReLU default slope, for a leaky embedding of an architecture without a slope of its own. */
export const PYTORCH_LEAK = 0.01;

/**
 * The embedding's activation (`embeddingActivation`) as a layer of its own after the
 * projection, so the projection's weights keep their names whichever is chosen. `mfm` is
 * the LCNN's and built there.
 */
export function embeddingActivation(kind: EmbeddingActivation, layer: string, x: tf.SymbolicTensor, leak: number): tf.SymbolicTensor {
  switch (kind) {
    case 'relu':
      return tf.layers.reLU({ name: layer }).apply(x) as tf.SymbolicTensor;
    case 'leaky-relu':
      return tf.layers.leakyReLU({ name: layer, alpha: leak }).apply(x) as tf.SymbolicTensor;
    case 'none':
      return x;
    case 'mfm':
      throw new Error('the max-feature-map embedding is the LCNN\'s own');
  }
}
