import * as tf from '@tensorflow/tfjs';
import { eerAndAuc } from '../metrics/index.js';
import { type LabelledArray, batchOf, countItems, itemSize, sequentialRows } from './batches.js';
import { softmaxCrossEntropy } from './loss.js';

/** The logits of a model's outputs: the last output ([embedding, logits] for experts). */
export function logitsOf(outputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  const logits = Array.isArray(outputs) ? outputs[outputs.length - 1] : outputs;
  if (logits === undefined) throw new Error('the model returned no outputs');
  return logits;
}

export interface ScoreOptions {
  /** Items per forward pass (default 64). */
  batchSize?: number;
}

/**
 * The bona fide score of every item: logit(bona fide) - logit(spoof), which equals
 * log p(bona fide) - log p(spoof) of the softmax (the log-likelihood ratio the ASVspoof
 * packages expect; higher = more bona fide). Runs in inference mode, in batches copied in
 * JS, and leaves no tensor behind.
 */
export function bonafideScores(model: tf.LayersModel, x: Float32Array, itemShape: number[], options: ScoreOptions = {}): Float32Array {
  const batchSize = options.batchSize ?? 64;
  const size = itemSize(itemShape);
  const count = x.length / size;
  const scores = new Float32Array(count);
  for (const rows of sequentialRows(count, batchSize)) {
    const start = rows[0] ?? 0;
    const values = tf.tidy(() => {
      const input = tf.tensor(x.subarray(start * size, (start + rows.length) * size), [rows.length, ...itemShape]);
      const logits = logitsOf(model.apply(input, { training: false }) as tf.Tensor | tf.Tensor[]);
      const [spoof, bonafide] = tf.split(logits, 2, 1) as [tf.Tensor, tf.Tensor];
      return tf.sub(bonafide, spoof).reshape([rows.length]);
    });
    scores.set(values.dataSync(), start);
    values.dispose();
  }
  return scores;
}

export interface ClassifierEvaluation {
  /** Mean cross-entropy (with the given label smoothing). */
  loss: number;
  eer: number;
  auc: number;
  scores: Float32Array;
}

/** Loss, EER and AUC of a two-class model on labelled items, in inference mode. */
export function evaluateClassifier(model: tf.LayersModel, data: LabelledArray, options: ScoreOptions & { labelSmoothing?: number } = {}): ClassifierEvaluation {
  const count = countItems(data);
  const batchSize = options.batchSize ?? 64;
  let lossSum = 0;
  const scores = new Float32Array(count);
  for (const rows of sequentialRows(count, batchSize)) {
    const batch = batchOf(data, rows);
    const [loss, score] = tf.tidy(() => {
      const logits = logitsOf(model.apply(batch.x, { training: false }) as tf.Tensor | tf.Tensor[]);
      const [spoof, bonafide] = tf.split(logits, 2, 1) as [tf.Tensor, tf.Tensor];
      return [softmaxCrossEntropy(logits, batch.labels, options.labelSmoothing ?? 0), tf.sub(bonafide, spoof).reshape([rows.length])];
    });
    lossSum += (loss.dataSync()[0] ?? Number.NaN) * rows.length;
    scores.set(score.dataSync(), rows[0] ?? 0);
    tf.dispose([loss, score, batch.x, batch.labels]);
  }
  const { eer, auc } = eerAndAuc(scores, Array.from(data.labels, (label) => label === 1));
  return { loss: lossSum / count, eer, auc, scores };
}
