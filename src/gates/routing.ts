import * as tf from '@tensorflow/tfjs';
import { type RoutingWeighting, routingDefaults } from '../config/routing.js';

/** What routing reads of a resolved routing config (src/config/routing.ts): soft has no k. */
export type RouteMode = { mode: 'soft' } | { mode: 'topk' | 'noisy-topk'; k: number; weighting?: RoutingWeighting };

/** How the gate's logits became mixture weights for one batch. */
export interface Routed {
  /** [batch, experts]: each row sums to 1; exactly zero outside the selected experts. */
  weights: tf.Tensor2D;
  /** log(weights), finite everywhere: about -1e9 where a weight is zero, so exp() gives exactly 0. */
  logWeights: tf.Tensor2D;
  /** [batch, experts]: 1 where an expert contributes to the item, 0 elsewhere (all ones under soft routing). */
  selected: tf.Tensor2D;
  /** [batch, experts]: the router's softmax over all experts (of the noisy logits while training noisy top-k): P in the Switch loss. */
  probs: tf.Tensor2D;
  /**
   * [batch]: log of the weight no selected expert carries (1 - sum of weights), under hard
   * routing with `router` weighting; absent when the weights sum to 1. Probability mixing
   * gives that mass to chance (p = 1/2 per class).
   */
  logRest?: tf.Tensor1D;
}

export interface RouteOptions {
  training: boolean;
  /** Noisy top-k's noise scale [batch, experts] (the gate's noise head); required for that mode. */
  noiseStd?: tf.Tensor | null;
  /** Seed of this step's noise (noisy top-k in training only): one seed, one draw. */
  noiseSeed?: number;
}

/** Added to the logits of experts outside the top k: far below any real logit, finite so that no inf - inf appears. */
const EXCLUDED = -1e9;

/**
 * 0/1 mask [batch, experts] of the k largest entries of each row (ties go to the lower
 * index, so always exactly k). Selection is a decision, not a function to differentiate:
 * the mask is a constant to backprop (tfjs has no TopK gradient; computing the mask inside
 * customGrad keeps TopK off the tape). oneHot stays int32 and is cast after: the wasm
 * OneHot kernel ignores a float32 dtype and writes integer bits.
 */
export function topKMask(values: tf.Tensor2D, k: number): tf.Tensor2D {
  const experts = values.shape[1];
  const select = tf.customGrad((...inputs) => {
    const x = inputs[0] as tf.Tensor2D;
    const value = k >= experts ? tf.onesLike(x) : tf.tidy(() => tf.cast(tf.sum(tf.oneHot(tf.topk(x, k).indices, experts), 1), 'float32') as tf.Tensor2D);
    return { value, gradFunc: () => tf.zerosLike(x) };
  });
  return select(values) as tf.Tensor2D;
}

/**
 * Gate logits [batch, experts] -> mixture weights.
 * - soft: softmax over all experts.
 * - topk: softmax over the k largest logits, the others exactly zero (Shazeer et al.'s
 *   G = softmax(KeepTopK(H, k))); their logits get no gradient.
 * - noisy-topk: in training, H = logits + N(0, 1) x noiseStd drawn from `noiseSeed`, then
 *   topk on H; in inference the clean logits (no noise).
 * Hard routing weighs the selected experts in one of two ways:
 * - `renormalized`: softmax over the selected (Shazeer). With k = 1 the weight is always
 *   exactly 1, so the mixture loss gives the gate no gradient; it then learns only from a
 *   balancing loss.
 * - `router` (default): each selected expert keeps its probability under the full softmax,
 *   as the Switch Transformer scales its expert output by the router probability; the rest
 *   of the mass goes to chance (`logRest`). The gate learns from the mixture loss for every
 *   k, top-1 included.
 */
export function route(logits: tf.Tensor2D, routing: RouteMode, options: RouteOptions): Routed {
  return tf.tidy(() => {
    let h: tf.Tensor2D = logits;
    if (routing.mode === 'noisy-topk' && options.training) {
      if (options.noiseStd === undefined || options.noiseStd === null) throw new Error('noisy top-k routing needs the gate\'s noise scale (build the gate with noisy: true)');
      if (options.noiseSeed === undefined) throw new Error('noisy top-k routing in training needs a noise seed');
      h = tf.add(logits, tf.mul(tf.randomNormal(logits.shape, 0, 1, 'float32', options.noiseSeed), options.noiseStd)) as tf.Tensor2D;
    }
    const probs = tf.softmax(h) as tf.Tensor2D;
    if (routing.mode === 'soft') {
      const logWeights = tf.logSoftmax(h) as tf.Tensor2D;
      return { weights: tf.exp(logWeights) as tf.Tensor2D, logWeights, selected: tf.onesLike(h), probs };
    }
    const selected = topKMask(h, routing.k);
    const excluded = tf.mul(tf.sub(1, selected), EXCLUDED);
    if ((routing.weighting ?? routingDefaults.weighting) === 'router') {
      const logWeights = tf.add(tf.logSoftmax(h), excluded) as tf.Tensor2D;
      const weights = tf.mul(tf.exp(logWeights), selected) as tf.Tensor2D;
      // The unrouted mass, floored so log() stays finite when the selected carry all of it.
      const rest = tf.maximum(tf.sub(1, tf.sum(weights, 1)), 1e-12);
      return { weights, logWeights, selected, probs, logRest: tf.log(rest) as tf.Tensor1D };
    }
    const logWeights = tf.logSoftmax(tf.add(h, excluded)) as tf.Tensor2D;
    // exp(-1e9) is already 0 in float32; the mask makes the zeros independent of that.
    const weights = tf.mul(tf.exp(logWeights), selected) as tf.Tensor2D;
    return { weights, logWeights, selected, probs };
  });
}
