import type { MergedOrder, SortedScores } from './score-set.js';

/**
 * The detection cost model of ASVspoof 5 track 1. Source: the ASVspoof 5 evaluation plan and
 * evaluation-package/calculate_metrics.py (calculate_minDCF_EER_CLLR):
 *   Pspoof = 0.05 (prior of a spoofing attack; the bona fide prior is 1 - Pspoof = 0.95),
 *   Cmiss = 1 (rejecting a bona fide trial), Cfa = 10 (accepting a spoof).
 * Note the prior belongs to the spoof class: 0.05 is Pspoof, not the bona fide (target) prior.
 */
export interface DetectionCosts {
  readonly pSpoof: number;
  readonly cMiss: number;
  readonly cFa: number;
}

export const ASVSPOOF5_COSTS: DetectionCosts = Object.freeze({ pSpoof: 0.05, cMiss: 1, cFa: 10 });

export interface CostAtThreshold {
  /** Normalised detection cost. */
  dcf: number;
  threshold: number;
}

/**
 * minDCF as calculate_modules.compute_mindcf computes it, over the same DET points as the EER
 * (see equalErrorRateOf), including the points inside tie groups:
 *   p_target = 1 - Pspoof
 *   c_det_k  = Cmiss * FRR_k * p_target + Cfa * FAR_k * (1 - p_target)   (first minimum wins)
 *   minDCF   = min_k c_det_k / min(Cmiss * p_target, Cfa * (1 - p_target))
 * The expressions keep numpy's evaluation order so the floats match.
 */
export function minimumDcfOf(order: MergedOrder, costs: DetectionCosts): CostAtThreshold {
  const { values, bonafideAt, nBonafide, nSpoof } = order;
  const { cMiss, cFa } = costs;
  const pTarget = 1 - costs.pSpoof;
  const cost = (frr: number, far: number): number => cMiss * frr * pTarget + cFa * far * (1 - pTarget);
  let best = cost(0, 1);
  let bestIndex = 0;
  let targets = 0;
  for (let k = 1; k <= values.length; k++) {
    targets += bonafideAt[k - 1] as number;
    const c = cost(targets / nBonafide, (nSpoof - (k - targets)) / nSpoof);
    if (c < best) {
      best = c;
      bestIndex = k;
    }
  }
  const threshold = bestIndex === 0 ? (values[0] as number) - 0.001 : (values[bestIndex - 1] as number);
  return { dcf: best / Math.min(cMiss * pTarget, cFa * (1 - pTarget)), threshold };
}

/**
 * actDCF as calculate_modules.compute_actDCF computes it: scores are taken as log-likelihood
 * ratios and thresholded where the Bayes decision flips,
 *   beta = Cmiss * (1 - Pspoof) / (Cfa * Pspoof),  threshold = -ln(beta)   (= ln(10 * 0.05 / 0.95) ≈ -0.642)
 *   Pmiss = #(bona fide < threshold) / n_bona,  Pfa = #(spoof >= threshold) / n_spoof
 *   actDCF = (Cmiss * (1 - Pspoof) * Pmiss + Cfa * Pspoof * Pfa) / min(Cfa * Pspoof, Cmiss * (1 - Pspoof))
 * Uncalibrated scores (e.g. probabilities in [0, 1]) give a large actDCF: that is the point of it.
 */
export function actualDcfOf(sorted: SortedScores, costs: DetectionCosts): CostAtThreshold {
  const { pSpoof, cMiss, cFa } = costs;
  const beta = (cMiss * (1 - pSpoof)) / (cFa * pSpoof);
  const threshold = -Math.log(beta);
  const missRate = countBelow(sorted.bonafide, threshold) / sorted.bonafide.length;
  const faRate = (sorted.spoof.length - countBelow(sorted.spoof, threshold)) / sorted.spoof.length;
  const dcf = cMiss * (1 - pSpoof) * missRate + cFa * pSpoof * faRate;
  return { dcf: dcf / Math.min(cFa * pSpoof, cMiss * (1 - pSpoof)), threshold };
}

/** Number of values strictly below `threshold` in an ascending array (binary search). */
export function countBelow(ascending: Float64Array, threshold: number): number {
  let low = 0;
  let high = ascending.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((ascending[mid] as number) < threshold) low = mid + 1;
    else high = mid;
  }
  return low;
}
