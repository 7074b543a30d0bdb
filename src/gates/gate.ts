import type * as tf from '@tensorflow/tfjs';
import type { NamedVariable } from '../nn/variables.js';
import type { ResolvedGateConfig } from '../config/gate-config.js';

/** What a gate computes for one batch. */
export interface GateOutput {
  /** [batch, experts]: one logit per expert (the clean logits under noisy top-k). */
  logits: tf.Tensor2D;
  /** [batch, experts]: noisy top-k's noise scale softplus(x W_noise), null for other routings. */
  noiseStd: tf.Tensor2D | null;
}

export interface GateApplyOptions {
  /** Training mode: dropout on, batch norm on batch statistics (and updating its moving ones). */
  training: boolean;
}

/** A gating network: a small tfjs-layers model from what it sees to one logit per expert. */
export interface Gate {
  readonly name: string;
  readonly config: ResolvedGateConfig;
  readonly numExperts: number;
  /** Whether it has noisy top-k's noise head. */
  readonly noisy: boolean;
  readonly model: tf.LayersModel;
  /** Every weight (batch-norm statistics included), named for checkpoints. */
  readonly variables: NamedVariable[];
  readonly trainable: tf.Variable[];
  /**
   * `enhanced`: the experts' embeddings, one [batch, embeddingDim_i] per expert, in order.
   * `standard`: one tensor, the standard input [batch, ...standardInputShape].
   */
  apply(inputs: tf.Tensor[], options: GateApplyOptions): GateOutput;
  dispose(): void;
}
