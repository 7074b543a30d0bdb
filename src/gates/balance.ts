import * as tf from '@tensorflow/tfjs';
import type { BalanceKind } from '../config/routing.js';
import { type Routed, topKMask } from './routing.js';

/**
 * Squared coefficient of variation of a vector, var / mean^2, with the unbiased variance
 * and the small epsilon of Shazeer et al.'s reference code; 0 for a single expert.
 */
export function cv2(x: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const n = x.shape[0];
    if (n <= 1) return tf.scalar(0);
    const mean = tf.mean(x);
    const variance = tf.div(tf.sum(tf.square(tf.sub(x, mean))), n - 1);
    return tf.div(variance, tf.add(tf.square(mean), 1e-10)) as tf.Scalar;
  });
}

/**
 * Shazeer et al. (2017): CV^2 of each expert's importance (its gate weights summed over
 * the batch) plus CV^2 of its load (how many items it received). `weights` and `selected`
 * are [batch, experts]. The load here is the count of routed items, not the paper's smooth
 * estimator: it adds its value but no gradient, and the gradient comes from importance.
 * 0 when both are uniform, its minimum.
 */
export function cv2Loss(weights: tf.Tensor2D, selected: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.add(cv2(tf.sum(weights, 0) as tf.Tensor1D), cv2(tf.sum(selected, 0) as tf.Tensor1D)) as tf.Scalar);
}

/**
 * Switch Transformer (Fedus et al. 2021): N x sum_i f_i P_i, where f_i is the fraction of
 * routing slots assigned to expert i (`dispatch` [batch, experts], k ones per row, divided
 * by batch x k) and P_i the mean router probability of expert i (`probs`). Equals 1 when
 * routing is uniform; the unweighted loss (multiply by alpha).
 */
export function switchLoss(probs: tf.Tensor2D, dispatch: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const [batch, experts] = probs.shape;
    const slots = tf.sum(dispatch);
    const fraction = tf.div(tf.sum(dispatch, 0), slots);
    const meanProb = tf.div(tf.sum(probs, 0), batch);
    return tf.mul(tf.sum(tf.mul(fraction, meanProb)), experts) as tf.Scalar;
  });
}

/**
 * The balancing loss `kind` of one routed batch (unweighted). Under soft routing every
 * expert is "selected" for every item, so the Switch loss counts each item for its top-1
 * expert, as the Switch router does.
 */
export function balanceLoss(kind: BalanceKind, routed: Routed, mode: 'soft' | 'topk' | 'noisy-topk'): tf.Scalar {
  return tf.tidy(() => {
    switch (kind) {
      case 'none':
        return tf.scalar(0);
      case 'cv2':
        return cv2Loss(routed.weights, routed.selected);
      case 'switch':
        return switchLoss(routed.probs, mode === 'soft' ? topKMask(routed.probs, 1) : routed.selected);
    }
  });
}
