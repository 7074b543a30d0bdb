import type { MergedOrder } from './score-set.js';

/**
 * Area under the ROC curve, bona fide positive: P(bona fide score > spoof score) plus half
 * P(equal), the Mann-Whitney form of the trapezoidal area that scikit-learn's roc_auc_score
 * integrates (tied scores form one diagonal ROC segment in both). Walking the already sorted
 * order one tie group at a time counts pairs as integers, exact below 2^53 pairs, so the only
 * rounding is the final division.
 */
export function areaUnderRocOf(order: MergedOrder): number {
  const { values, bonafideAt, nBonafide, nSpoof } = order;
  let spoofBelow = 0;
  let pairsWon = 0; // bona fide above spoof, counted in halves for ties
  let k = 0;
  while (k < values.length) {
    const value = values[k] as number;
    let bonafideInGroup = 0;
    let spoofInGroup = 0;
    while (k < values.length && values[k] === value) {
      if (bonafideAt[k]) bonafideInGroup++;
      else spoofInGroup++;
      k++;
    }
    pairsWon += bonafideInGroup * spoofBelow + 0.5 * bonafideInGroup * spoofInGroup;
    spoofBelow += spoofInGroup;
  }
  return pairsWon / (nBonafide * nSpoof);
}
