import * as tf from '@tensorflow/tfjs';
import { ClassToken, FirstToken } from './layers/class-token.js';
import { SelfAttention } from './layers/self-attention.js';
import type { GateParts } from './gate-parts.js';

type Sym = tf.SymbolicTensor;

/** Tokens a standard transformer gate cuts the clip into (time segments). */
export const STANDARD_GATE_TOKENS = 8;

/**
 * MILE-Att's gate: a small transformer encoder attending across tokens, read out from a
 * class token. Tokens: enhanced, one per expert (its projected embedding, as the MLP gate
 * projects them) plus the cross term; standard, STANDARD_GATE_TOKENS time segments of the
 * input (per-bin mean and std, or raw samples) through one shared Linear(features -> dim).
 * Then a learned class token and position embedding, dropout, `layers` post-norm encoder
 * layers as PyTorch's nn.TransformerEncoderLayer (self-attention, add & LayerNorm,
 * FFN `feedForward` wide (default 4 x dim) with ReLU, add & LayerNorm, dropout on both residual branches), and one
 * logit per expert from the class token. Only matMul-based ops (no einsum).
 */
export function transformerGateGraph(
  parts: GateParts,
  inputs: Sym[],
  options: { enhanced: boolean; dim: number; layers: number; heads: number; feedForward: number; dropout: number; numExperts: number; noisy: boolean },
): Sym[] {
  const { dim } = options;
  let tokens: Sym;
  if (options.enhanced) {
    tokens = parts.enhancedTokens(inputs, dim);
  } else {
    tokens = parts.dense('token_proj', dim, parts.standardTokens(inputs[0] as Sym, STANDARD_GATE_TOKENS));
  }
  let x = new ClassToken({ name: `${parts.name}_cls`, seed: parts.init.layerSeed('cls') }).apply(tokens) as Sym;
  x = parts.dropout('embed_dropout', options.dropout, x);
  for (let layer = 1; layer <= options.layers; layer++) {
    const id = `enc${layer}`;
    const attended = new SelfAttention({ name: `${parts.name}_${id}_attn`, heads: options.heads, seed: parts.init.layerSeed(`${id}_attn`) }).apply(x) as Sym;
    x = tf.layers.add({ name: `${parts.name}_${id}_res1` }).apply([x, parts.dropout(`${id}_drop1`, options.dropout, attended)]) as Sym;
    x = tf.layers.layerNormalization({ name: `${parts.name}_${id}_ln1`, epsilon: 1e-5 }).apply(x) as Sym;
    const hidden = parts.dense(`${id}_ff1`, options.feedForward, x, 'relu');
    const back = parts.dense(`${id}_ff2`, dim, hidden);
    x = tf.layers.add({ name: `${parts.name}_${id}_res2` }).apply([x, parts.dropout(`${id}_drop2`, options.dropout, back)]) as Sym;
    x = tf.layers.layerNormalization({ name: `${parts.name}_${id}_ln2`, epsilon: 1e-5 }).apply(x) as Sym;
  }
  const pooled = new FirstToken({ name: `${parts.name}_pooled` }).apply(x) as Sym;
  return parts.heads(pooled, options.numExperts, options.noisy);
}
