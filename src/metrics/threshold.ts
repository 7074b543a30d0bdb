import type { BonafideFlags } from './score-set.js';
import { UserError } from '../util/errors.js';

/**
 * Decisions at a fixed threshold (the trainer fixes it on validation data): a trial is called
 * bona fide when score >= threshold. This is the ASVspoof 5 actDCF rule (a miss is a bona fide
 * score < threshold, a false accept a spoof score >= threshold).
 */
export interface RatesAtThreshold {
  threshold: number;
  /** Bona fide trials called bona fide (recall of the positive class). */
  tpr: number;
  /** Spoof trials called spoof. */
  tnr: number;
  fpr: number;
  fnr: number;
  /** (TPR + TNR) / 2, scikit-learn's balanced_accuracy_score for two classes. */
  balancedAccuracy: number;
  /** Plain accuracy over all trials (depends on the class ratio; reported for completeness). */
  accuracy: number;
  nBonafide: number;
  nSpoof: number;
}

export function ratesAtThreshold(scores: ArrayLike<number>, isBonafide: BonafideFlags, threshold: number): RatesAtThreshold {
  if (scores.length !== isBonafide.length) {
    throw new UserError(`ratesAtThreshold: ${scores.length} scores but ${isBonafide.length} labels; give one label per score.`);
  }
  if (Number.isNaN(threshold)) throw new UserError('ratesAtThreshold: the threshold is NaN; give a number.');
  let nBonafide = 0;
  let truePositives = 0;
  let trueNegatives = 0;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i] as number;
    if (!Number.isFinite(score)) {
      throw new UserError(`ratesAtThreshold: score ${i} is ${String(score)}; NaN and infinite scores are refused.`);
    }
    const accepted = score >= threshold;
    if (isBonafide[i]) {
      nBonafide++;
      if (accepted) truePositives++;
    } else if (!accepted) trueNegatives++;
  }
  const nSpoof = scores.length - nBonafide;
  if (nBonafide === 0 || nSpoof === 0) {
    throw new UserError(`ratesAtThreshold: only ${nBonafide === 0 ? 'spoof' : 'bona fide'} trials; TPR and TNR need both classes.`);
  }
  const tpr = truePositives / nBonafide;
  const tnr = trueNegatives / nSpoof;
  return {
    threshold,
    tpr,
    tnr,
    fpr: 1 - tnr,
    fnr: 1 - tpr,
    balancedAccuracy: (tpr + tnr) / 2,
    accuracy: (truePositives + trueNegatives) / scores.length,
    nBonafide,
    nSpoof,
  };
}

/** Balanced accuracy at a fixed threshold: (TPR + TNR) / 2. */
export function balancedAccuracy(scores: ArrayLike<number>, isBonafide: BonafideFlags, threshold: number): number {
  return ratesAtThreshold(scores, isBonafide, threshold).balancedAccuracy;
}

/** Hard decisions at a threshold (1 = called bona fide), for sourceAveragedBalancedAccuracy. */
export function decide(scores: ArrayLike<number>, threshold: number): Uint8Array {
  const calls = new Uint8Array(scores.length);
  for (let i = 0; i < scores.length; i++) calls[i] = (scores[i] as number) >= threshold ? 1 : 0;
  return calls;
}
