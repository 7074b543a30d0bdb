import * as tf from '@tensorflow/tfjs';
import { sequentialRows } from '../batches.js';
import { type MultiInputData, countMultiItems, multiBatchOf } from './data.js';
import { eerAndAucOrNaN } from './evaluate.js';
import { type MixMode, bonafideScoresOf, mixExperts, smoothedNll, uniformWeights } from './mix.js';
import type { Mixture, MixtureMember } from './mixture.js';

export interface CombinationEvaluation {
  /** Mean NLL of the combination (with the given label smoothing). */
  loss: number;
  /** NaN when the data holds only one class. */
  eer: number;
  auc: number;
  /** log p(bona fide) - log p(spoof) of the combination, per item. */
  scores: Float32Array;
}

export interface CombinationOptions {
  batchSize?: number;
  labelSmoothing?: number;
}

/**
 * Experts combined with equal weights 1/n and no gate, in inference mode: probabilities
 * averaged (`prob`) or logits averaged (`logit`).
 */
export function evaluateUniformCombination(members: MixtureMember[], data: MultiInputData, mix: MixMode, options: CombinationOptions = {}): CombinationEvaluation {
  if (members.length === 0) throw new Error('a combination needs at least one expert');
  const count = countMultiItems(data);
  const scores = new Float32Array(count);
  let lossSum = 0;
  for (const rows of sequentialRows(count, options.batchSize ?? 64)) {
    const batch = multiBatchOf(data, rows);
    const [loss, score] = tf.tidy(() => {
      const logits = members.map(({ expert, input }) => {
        const x = batch.inputs[input];
        if (x === undefined) throw new Error(`expert ${expert.model.name} reads input ${input} but the data has ${batch.inputs.length} input(s)`);
        const outputs = expert.model.apply(x, { training: false }) as tf.Tensor[];
        return outputs[outputs.length - 1] as tf.Tensor;
      });
      const { logProbs } = mixExperts(logits, uniformWeights(rows.length, members.length), mix);
      return [smoothedNll(logProbs, batch.labels, options.labelSmoothing ?? 0), bonafideScoresOf(logProbs)];
    });
    lossSum += (loss.dataSync()[0] ?? Number.NaN) * rows.length;
    scores.set(score.dataSync(), rows[0] ?? 0);
    tf.dispose([loss, score, ...batch.inputs, batch.labels]);
  }
  return { loss: lossSum / count, ...eerAndAucOrNaN(scores, data.labels), scores };
}

/** The average ensemble baseline: the (pre-trained) experts' probabilities averaged. */
export function evaluateAverageEnsemble(members: MixtureMember[], data: MultiInputData, options: CombinationOptions = {}): CombinationEvaluation {
  return evaluateUniformCombination(members, data, 'prob', options);
}

/**
 * The gate-ablated baseline: a trained mixture's experts averaged without its gate, mixed
 * as the mixture mixes (probabilities or logits), with its label smoothing.
 */
export function evaluateGateAblated(mixture: Mixture, data: MultiInputData, options: Omit<CombinationOptions, 'labelSmoothing'> = {}): CombinationEvaluation {
  return evaluateUniformCombination(mixture.members, data, mixture.config.mix, { ...options, labelSmoothing: mixture.labelSmoothing });
}

/**
 * Each expert's own score (bona fide logit minus spoof logit) on every item, in inference
 * mode, row-major [items, experts]: for mixtures whose hard routing skipped experts on the
 * items not routed to them, so each expert's own EER covers the whole set.
 */
export function expertOwnScores(members: MixtureMember[], data: MultiInputData, options: { batchSize?: number } = {}): Float32Array {
  const count = countMultiItems(data);
  const out = new Float32Array(count * members.length);
  for (const rows of sequentialRows(count, options.batchSize ?? 64)) {
    const batch = multiBatchOf(data, rows);
    const start = rows[0] ?? 0;
    members.forEach(({ expert, input }, e) => {
      const logits = tf.tidy(() => {
        const outputs = expert.model.apply(batch.inputs[input] as tf.Tensor, { training: false }) as tf.Tensor[];
        return outputs[outputs.length - 1] as tf.Tensor;
      });
      const values = logits.dataSync();
      for (let r = 0; r < rows.length; r++) out[(start + r) * members.length + e] = (values[r * 2 + 1] as number) - (values[r * 2] as number);
      logits.dispose();
    });
    tf.dispose([...batch.inputs, batch.labels]);
  }
  return out;
}
