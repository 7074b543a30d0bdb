import * as tf from '@tensorflow/tfjs';
import { eerAndAuc } from '../../metrics/index.js';
import { sequentialRows } from '../batches.js';
import { type MixtureBatchScores, type MixtureForward, type Mixture, disposeForward, readScores } from './mixture.js';
import { smoothedNll } from './mix.js';

/** How a mixture used its experts on a dataset: what the gating heatmaps show. */
export interface GateUsage {
  /** Mean gate weight of each expert over the items. */
  meanWeight: number[];
  /** Fraction of items each expert contributed to (1 for every expert under soft routing). */
  selectionRate: number[];
}

export interface MixtureEvaluation extends MixtureBatchScores {
  /** Mean mixture NLL with the mixture's label smoothing. */
  loss: number;
  /** NaN when the data holds only one class. */
  eer: number;
  auc: number;
  gate: GateUsage;
  /**
   * Each expert's own score (its logit for bona fide minus spoof) per item, row-major
   * [items, experts]: what the expert alone would say inside the trained mixture. NaN on
   * the items an expert was not run on (hard routing that skips unselected experts).
   */
  expertScores: Float32Array;
}

export interface EvaluateOptions {
  /** Items per forward pass (default 64). */
  batchSize?: number;
}

export function gateUsage(weights: Float32Array, selected: Uint8Array, experts: number): GateUsage {
  const count = weights.length / experts;
  const meanWeight = new Array<number>(experts).fill(0);
  const selectionRate = new Array<number>(experts).fill(0);
  for (let item = 0; item < count; item++) {
    for (let e = 0; e < experts; e++) {
      meanWeight[e] = (meanWeight[e] as number) + (weights[item * experts + e] as number);
      selectionRate[e] = (selectionRate[e] as number) + (selected[item * experts + e] as number);
    }
  }
  return { meanWeight: meanWeight.map((sum) => sum / Math.max(1, count)), selectionRate: selectionRate.map((sum) => sum / Math.max(1, count)) };
}

/** EER and AUC when both classes are present, NaN otherwise (a spoof-only test set still gets scores). */
export function eerAndAucOrNaN(scores: Float32Array, labels: ArrayLike<number>): { eer: number; auc: number } {
  const isBonafide = Array.from(labels, (label) => label === 1);
  const bonafide = isBonafide.filter(Boolean).length;
  if (bonafide === 0 || bonafide === isBonafide.length) return { eer: Number.NaN, auc: Number.NaN };
  const { eer, auc } = eerAndAuc(scores, isBonafide);
  return { eer, auc };
}

/**
 * Run a mixture over `count` items in inference mode, block by block: `forwardOf(rows)`
 * builds the forward pass of a block (from inputs or from a cache) and `labelsOf(rows)` its
 * labels. Collects per-item scores, weights and selections, and the mean loss.
 */
export function evaluateBlocks(
  mixture: Mixture,
  count: number,
  labels: ArrayLike<number>,
  forwardOf: (rows: number[]) => { forward: MixtureForward; labels: tf.Tensor1D; dispose: () => void },
  options: EvaluateOptions = {},
): MixtureEvaluation {
  const experts = mixture.numExperts;
  const scores = new Float32Array(count);
  const weights = new Float32Array(count * experts);
  const selected = new Uint8Array(count * experts);
  const expertScores = new Float32Array(count * experts).fill(Number.NaN);
  let lossSum = 0;
  for (const rows of sequentialRows(count, options.batchSize ?? 64)) {
    const start = rows[0] ?? 0;
    const block = forwardOf(rows);
    try {
      const loss = smoothedNll(block.forward.logProbs, block.labels, mixture.labelSmoothing);
      lossSum += (loss.dataSync()[0] ?? Number.NaN) * rows.length;
      loss.dispose();
      const read = readScores(block.forward);
      scores.set(read.scores, start);
      weights.set(read.weights, start * experts);
      selected.set(read.selected, start * experts);
      block.forward.expertLogits.forEach((logits, e) => {
        // A skipped expert's rows are zeros, not its score: leave them NaN.
        if (block.forward.evaluatedRows[e] !== rows.length) return;
        const values = logits.dataSync();
        for (let r = 0; r < rows.length; r++) expertScores[(start + r) * experts + e] = (values[r * 2 + 1] as number) - (values[r * 2] as number);
      });
    } finally {
      disposeForward(block.forward);
      block.dispose();
    }
  }
  return { loss: lossSum / Math.max(1, count), ...eerAndAucOrNaN(scores, labels), scores, weights, selected, gate: gateUsage(weights, selected, experts), expertScores };
}
