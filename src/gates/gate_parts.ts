import * as tf from '@tensorflow/tfjs';
import type { SeededInit } from '../experts/init.js';
import { SeededDropout } from '../experts/layers/seeded_dropout.js';
import { CrossTerm } from './layers/cross_term.js';
import { StandardSummary } from './layers/standard_summary.js';

type Sym = tf.SymbolicTensor;

/** PyTorch's nn.LeakyReLU default slope (the authors' gates use the default). */
export const GATE_LEAK = 0.01;

/** Builds the layers of one gate under one name prefix with one seeded initialiser. */
export class GateParts {
  constructor(
    readonly name: string,
    readonly init: SeededInit,
  ) {}

  dense(layer: string, units: number, x: Sym, activation?: 'relu' | 'softplus'): Sym {
    return tf.layers.dense({ name: `${this.name}_${layer}`, units, activation, kernelInitializer: this.init.dense(layer) }).apply(x) as Sym;
  }

  batchNorm(layer: string): tf.layers.Layer {
    // PyTorch's BatchNorm1d defaults: eps 1e-5, momentum 0.1 (tfjs counts momentum the other way).
    return tf.layers.batchNormalization({ name: `${this.name}_${layer}`, epsilon: 1e-5, momentum: 0.9 });
  }

  leaky(layer: string): tf.layers.Layer {
    return tf.layers.leakyReLU({ name: `${this.name}_${layer}`, alpha: GATE_LEAK });
  }

  dropout(layer: string, rate: number, x: Sym): Sym {
    if (rate === 0) return x;
    return new SeededDropout({ name: `${this.name}_${layer}`, rate, seed: this.init.layerSeed(layer, 'mask') }).apply(x) as Sym;
  }

  /**
   * The Enhanced MoE's view of the experts (ICASSP 2025 code): each expert's embedding
   * through its own Linear(d_i -> dim), one batch norm shared by all experts, LeakyReLU;
   * plus the cross term. Returns the n projections followed by the cross term, each
   * [batch, dim].
   */
  enhancedFeatures(embeddings: Sym[], dim: number): Sym[] {
    const norm = this.batchNorm('proj_bn');
    const act = this.leaky('proj_act');
    const projections = embeddings.map((embedding, i) => act.apply(norm.apply(this.dense(`proj${i}`, dim, embedding))) as Sym);
    const cross = new CrossTerm({ name: `${this.name}_cross` }).apply(projections) as Sym;
    return [...projections, cross];
  }

  /** The standard input summarised into `segments` tokens [batch, segments, features] (see StandardSummary). */
  standardTokens(input: Sym, segments: number): Sym {
    const used = StandardSummary.segmentsFor(input.shape.slice(1) as number[], segments);
    return new StandardSummary({ name: `${this.name}_summary`, segments: used }).apply(input) as Sym;
  }

  /**
   * The output heads: one logit per expert, and for noisy top-k the noise scale
   * softplus(x W_noise) with W_noise starting at zero (Shazeer et al. 2017).
   */
  heads(features: Sym, numExperts: number, noisy: boolean): Sym[] {
    const logits = this.dense('logits', numExperts, features);
    if (!noisy) return [logits];
    const noise = tf.layers
      .dense({ name: `${this.name}_noise`, units: numExperts, activation: 'softplus', kernelInitializer: 'zeros', biasInitializer: 'zeros' })
      .apply(features) as Sym;
    return [logits, noise];
  }
}
