import * as tf from '@tensorflow/tfjs';
import type { SeededInit } from '../nn/seeded-init.js';
import { SeededDropout } from '../nn/seeded-dropout.js';
import { CrossTerm } from './layers/cross-term.js';
import { StandardSummary } from './layers/standard-summary.js';
import { BatchNorm } from '../nn/batch-norm.js';

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
    return new BatchNorm({ name: `${this.name}_${layer}`, epsilon: 1e-5, momentum: 0.9 });
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
   * plus the cross term. Returns tokens [batch, experts + 1, dim]: the n projections, then
   * the cross term.
   *
   * The shared batch norm normalises the experts' projections together (statistics over
   * batch and experts) rather than once per expert: applied per expert, training
   * normalises each with its own batch statistics while the moving statistics become a
   * blend of all experts' that inference then applies to each. On the toy problem of
   * tests/train/moe that mismatch left the inference loss at 0.61 while the training loss reached
   * 0.20 (transformer gate; 0.46 against 0.32 with the pooled statistics).
   */
  enhancedTokens(embeddings: Sym[], dim: number): Sym {
    const projections = embeddings.map(
      (embedding, i) => tf.layers.reshape({ name: `${this.name}_proj${i}_token`, targetShape: [1, dim] }).apply(this.dense(`proj${i}`, dim, embedding)) as Sym,
    );
    let tokens = projections.length === 1 ? (projections[0] as Sym) : (tf.layers.concatenate({ name: `${this.name}_proj_tokens`, axis: 1 }).apply(projections) as Sym);
    tokens = this.leaky('proj_act').apply(this.batchNorm('proj_bn').apply(tokens)) as Sym;
    const cross = new CrossTerm({ name: `${this.name}_cross` }).apply(tokens) as Sym;
    const crossToken = tf.layers.reshape({ name: `${this.name}_cross_token`, targetShape: [1, dim] }).apply(cross) as Sym;
    return tf.layers.concatenate({ name: `${this.name}_tokens`, axis: 1 }).apply([tokens, crossToken]) as Sym;
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
