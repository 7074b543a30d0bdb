import * as tf from '@tensorflow/tfjs';
import type { Routed } from '../../gates/routing.js';

export type MixMode = 'prob' | 'logit';

/** The mixture's two-class output for one batch. */
export interface MixedOutput {
  /** [batch, 2]: log p of the mixture (log p(spoof), log p(bona fide)). */
  logProbs: tf.Tensor2D;
  /** [batch, 2]: what was mixed: probabilities (prob) or logits (logit). */
  mixed: tf.Tensor2D;
}

/**
 * Combine the experts' logits (each [batch, 2]) with the gate's weights.
 * - prob: p = sum_i w_i softmax(z_i), computed in the log domain as
 *   logsumexp_i(log w_i + log softmax(z_i)) so confident experts cannot underflow it; an
 *   expert with weight exactly 0 contributes exactly 0 (and gets no gradient).
 * - logit: z = sum_i w_i z_i, log p = log softmax(z).
 */
export function mixExperts(expertLogits: tf.Tensor[], routed: Pick<Routed, 'weights' | 'logWeights' | 'logRest'>, mode: MixMode): MixedOutput {
  return tf.tidy(() => {
    const stacked = tf.stack(expertLogits, 1); // [batch, experts, 2]
    if (mode === 'prob') {
      let terms = tf.add(tf.logSoftmax(stacked), tf.expandDims(routed.logWeights, 2));
      if (routed.logRest) {
        // Mass no selected expert carries goes to chance: log(rest) + log(1/2) for each class.
        const chance = tf.tile(tf.reshape(tf.add(routed.logRest, Math.log(0.5)), [-1, 1, 1]), [1, 1, 2]);
        terms = tf.concat([terms, chance], 1);
      }
      const logProbs = tf.logSumExp(terms, 1) as tf.Tensor2D;
      return { logProbs, mixed: tf.exp(logProbs) as tf.Tensor2D };
    }
    const mixed = tf.sum(tf.mul(stacked, tf.expandDims(routed.weights, 2)), 1) as tf.Tensor2D;
    return { logProbs: tf.logSoftmax(mixed) as tf.Tensor2D, mixed };
  });
}

/** Equal weights 1/n for every item: the ensemble and gate-ablated combinations. */
export function uniformWeights(batch: number, experts: number): Pick<Routed, 'weights' | 'logWeights'> {
  return tf.tidy(() => ({ weights: tf.fill([batch, experts], 1 / experts) as tf.Tensor2D, logWeights: tf.fill([batch, experts], -Math.log(experts)) as tf.Tensor2D }));
}

/**
 * Mean negative log-likelihood of normalised log-probabilities [batch, 2] with label
 * smoothing (target (1 - e) on the true class plus e / K on each): the mixture's loss.
 * Hand-written because src/train/loss.ts takes logits and would softmax them again: for
 * probability mixing, cross-entropy on an already-mixed output is not the mixture's NLL.
 */
export function smoothedNll(logProbs: tf.Tensor, labels: tf.Tensor, labelSmoothing = 0): tf.Scalar {
  if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new Error(`label smoothing must be in [0, 1), got ${labelSmoothing}`);
  return tf.tidy(() => {
    const classes = logProbs.shape[logProbs.rank - 1] ?? 2;
    const oneHot = tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, classes);
    const target = labelSmoothing === 0 ? oneHot : tf.add(tf.mul(oneHot, 1 - labelSmoothing), labelSmoothing / classes);
    return tf.neg(tf.mean(tf.sum(tf.mul(target, logProbs), -1))) as tf.Scalar;
  });
}

/** Bona fide scores log p(bona fide) - log p(spoof), [batch] (the LLR the ASVspoof tools expect). */
export function bonafideScoresOf(logProbs: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const [spoof, bonafide] = tf.split(logProbs, 2, 1) as [tf.Tensor, tf.Tensor];
    return tf.reshape(tf.sub(bonafide, spoof), [logProbs.shape[0]]) as tf.Tensor1D;
  });
}
