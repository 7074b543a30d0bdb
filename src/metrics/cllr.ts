import type { SortedScores } from './score-set.js';

/**
 * Cllr in bits, as calculate_modules.calculate_CLLR (ASVspoof 5) defines it, with scores taken
 * as natural-log likelihood ratios:
 *   Cllr = ( mean_bona softplus(-s) + mean_spoof softplus(s) ) / (2 ln 2),  softplus(x) = ln(1 + e^x)
 * The package evaluates log1p(exp(x)) directly, which overflows to inf for x > ~709; the stable
 * form below agrees with it to rounding wherever that is finite and stays finite beyond.
 * Sums are compensated (Neumaier) so a million terms agree with numpy's pairwise sum to ~1e-15.
 */
export function cllrOf(sorted: SortedScores): number {
  const bonafideCost = meanSoftplus(sorted.bonafide, -1);
  const spoofCost = meanSoftplus(sorted.spoof, 1);
  const cllr = (0.5 * (bonafideCost + spoofCost)) / Math.LN2;
  if (Number.isFinite(cllr)) return cllr;
  // Scores near 1e308 overflow the sums (inf - inf in the compensation is NaN): the same
  // means over terms divided first, and the halves added last, stay finite as far as the
  // true value is representable. Ordinary scores never get here, so their values keep the
  // reference rounding.
  return 0.5 * (scaledMeanSoftplus(sorted.bonafide, -1) / Math.LN2) + 0.5 * (scaledMeanSoftplus(sorted.spoof, 1) / Math.LN2);
}

/** The mean softplus with each term divided by the count before summing (no overflow short of the mean's). */
function scaledMeanSoftplus(scores: Float64Array, sign: 1 | -1): number {
  return meanSoftplus(scores, sign, scores.length);
}

function meanSoftplus(scores: Float64Array, sign: 1 | -1, divideFirst = 1): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < scores.length; i++) {
    const term = softplus(sign * (scores[i] as number)) / divideFirst;
    const t = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
  }
  return (sum + compensation) / (scores.length / divideFirst);
}

/** ln(1 + e^x) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
