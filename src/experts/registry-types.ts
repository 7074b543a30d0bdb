import type * as tf from '@tensorflow/tfjs';
import type { ResolvedExpertSpec } from '../config/expert-spec.js';

export interface ExpertBuildOptions {
  /** Model name and prefix of every layer name (unique per expert inside a mixture). */
  name: string;
  /** Seed every initialiser and dropout fallback derives from. */
  seed: number;
}

export interface BuiltExpert {
  /** Outputs [embedding [batch, embeddingDim], logits [batch, 2]]; logit 1 = bona fide. */
  model: tf.LayersModel;
  embeddingDim: number;
}

export type ExpertBuilder = (spec: ResolvedExpertSpec, inputShape: number[], options: ExpertBuildOptions) => BuiltExpert;
