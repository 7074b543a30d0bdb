import type { SortedScores } from './score-set.js';

/**
 * The EER of classes already sorted ascending, as equalErrorRateOf(mergeSortedClasses(..))
 * computes it (the same pooled order, bona fide first on ties, the same float64 operations,
 * the first minimum), fused into one pass without allocating: the bootstraps of the report
 * evaluate it millions of times on resampled classes.
 */
export function eerOfSorted(sorted: SortedScores): number {
  const { bonafide, spoof } = sorted;
  const nBonafide = bonafide.length;
  const nSpoof = spoof.length;
  let bestDiff = Math.abs(0 - 1);
  let bestFrr = 0;
  let bestFar = 1;
  let targets = 0;
  let b = 0;
  let s = 0;
  for (let k = 1; k <= nBonafide + nSpoof; k++) {
    if (s >= nSpoof || (b < nBonafide && (bonafide[b] as number) <= (spoof[s] as number))) {
      b++;
      targets++;
    } else {
      s++;
    }
    const frr = targets / nBonafide;
    const far = (nSpoof - (k - targets)) / nSpoof;
    const diff = Math.abs(frr - far);
    if (diff < bestDiff) {
      bestDiff = diff;
      bestFrr = frr;
      bestFar = far;
    }
  }
  return (bestFrr + bestFar) / 2;
}
