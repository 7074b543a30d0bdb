import type { MergedOrder } from './score-set.js';

export interface EqualErrorRate {
  /** EER as a fraction in [0, 1]. */
  eer: number;
  /** The DET threshold at the EER point: trials scoring above it are accepted as bona fide. */
  threshold: number;
}

/**
 * EER exactly as the ASVspoof 2021 and ASVspoof 5 eval packages compute it
 * (compute_det_curve + compute_eer in eval_metrics.py / calculate_modules.py):
 *
 *   k = 0..n over the pooled stable order (see mergeSortedClasses), T_k = bona fide among the first k
 *   FRR_k = T_k / n_bona                          (FRR_0 = 0)
 *   FAR_k = (n_spoof - (k - T_k)) / n_spoof       (FAR_0 = 1)
 *   threshold_k = sorted score k-1                (threshold_0 = lowest score - 0.001)
 *   i = first argmin |FRR_k - FAR_k|;  EER = (FRR_i + FAR_i) / 2
 *
 * Every operation is the same float64 operation numpy performs (integer counts are exact,
 * one division each, np.mean of two values is their sum halved), so the result is
 * bit-identical to the eval package, ties included.
 */
export function equalErrorRateOf(order: MergedOrder): EqualErrorRate {
  const { values, bonafideAt, nBonafide, nSpoof } = order;
  let bestDiff = Math.abs(0 - 1);
  let bestFrr = 0;
  let bestFar = 1;
  let bestIndex = 0;
  let targets = 0;
  for (let k = 1; k <= values.length; k++) {
    targets += bonafideAt[k - 1] as number;
    const frr = targets / nBonafide;
    const far = (nSpoof - (k - targets)) / nSpoof;
    const diff = Math.abs(frr - far);
    // Strict `<` keeps the first minimum, as np.argmin does.
    if (diff < bestDiff) {
      bestDiff = diff;
      bestFrr = frr;
      bestFar = far;
      bestIndex = k;
    }
  }
  const threshold = bestIndex === 0 ? (values[0] as number) - 0.001 : (values[bestIndex - 1] as number);
  return { eer: (bestFrr + bestFar) / 2, threshold };
}
