import * as tf from '@tensorflow/tfjs';
import { type MultiInputData, countMultiItems, multiBatchOf } from './data.js';
import { type EvaluateOptions, type MixtureEvaluation, evaluateBlocks } from './evaluate.js';
import type { Mixture } from './mixture.js';

/**
 * Loss, EER/AUC, per-item scores (log p(bona fide) - log p(spoof) of the mixture), gate
 * weights and selections, and the per-expert gate usage of a mixture on labelled data, in
 * inference mode. Leaves no tensor behind.
 */
export function evaluateMixture(mixture: Mixture, data: MultiInputData, options: EvaluateOptions = {}): MixtureEvaluation {
  const count = countMultiItems(data);
  return evaluateBlocks(
    mixture,
    count,
    data.labels,
    (rows) => {
      const batch = multiBatchOf(data, rows);
      return { forward: mixture.forward(batch.inputs, { training: false }), labels: batch.labels, dispose: () => tf.dispose([...batch.inputs, batch.labels]) };
    },
    options,
  );
}
