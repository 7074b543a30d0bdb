import * as tf from '@tensorflow/tfjs';
import type { GateParts } from './gate-parts.js';

type Sym = tf.SymbolicTensor;

/**
 * The papers' gating network: FC(hidden) -> dropout -> batch norm -> LeakyReLU -> FC to one
 * logit per expert (the authors' Enhanced MoE head: Linear 64 -> dropout 0.2 -> BN ->
 * LeakyReLU -> Linear n). Its input is one vector: the enhanced features (n projections
 * and the cross term, concatenated: (n + 1) x dim) or the standard input's summary (per-bin
 * mean and std over the whole clip, or the raw waveform), or with `concat` the experts'
 * embeddings concatenated as they are.
 */
export function mlpGateGraph(
  parts: GateParts,
  inputs: Sym[],
  options: { enhanced: boolean; concat?: boolean; hidden: number; dim: number; dropout: number; numExperts: number; noisy: boolean },
): Sym[] {
  let features: Sym;
  if (options.concat === true) {
    // `input: concat`: the experts' embeddings side by side, unprojected and unnormalised.
    features = inputs.length === 1 ? (inputs[0] as Sym) : (tf.layers.concatenate({ name: `${parts.name}_features`, axis: 1 }).apply(inputs) as Sym);
  } else if (options.enhanced) {
    features = tf.layers.flatten({ name: `${parts.name}_features` }).apply(parts.enhancedTokens(inputs, options.dim)) as Sym;
  } else {
    const tokens = parts.standardTokens(inputs[0] as Sym, 1);
    features = tf.layers.flatten({ name: `${parts.name}_features` }).apply(tokens) as Sym;
  }
  let x = parts.dense('fc1', options.hidden, features);
  x = parts.dropout('dropout', options.dropout, x);
  x = parts.batchNorm('bn').apply(x) as Sym;
  x = parts.leaky('act').apply(x) as Sym;
  return parts.heads(x, options.numExperts, options.noisy);
}
