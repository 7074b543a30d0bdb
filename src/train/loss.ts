import * as tf from '@tensorflow/tfjs';

/**
 * Mean softmax cross-entropy with label smoothing, PyTorch's CrossEntropyLoss(label_smoothing=e):
 * the target is (1 - e) on the true class plus e / K on every class. `labels` are class
 * indices (int32, [batch]); `logits` are [batch, K]. Built from logSoftmax, oneHot and
 * reductions, all of which the wasm backend has (no gather).
 */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor, labelSmoothing = 0): tf.Scalar {
  if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new Error(`label smoothing must be in [0, 1), got ${labelSmoothing}`);
  return tf.tidy(() => {
    const classes = logits.shape[logits.rank - 1] ?? 2;
    const oneHot = tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, classes);
    const target = labelSmoothing === 0 ? oneHot : tf.add(tf.mul(oneHot, 1 - labelSmoothing), labelSmoothing / classes);
    return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1))) as tf.Scalar;
  });
}
