import { UserError } from '../util/errors.js';

/**
 * Conventions shared by every metric in src/metrics: bona fide is the positive class and a
 * higher score means "more bona fide" (ASVspoof's convention). Labels are truthy for bona fide.
 */
export type BonafideFlags = ArrayLike<boolean | number>;

/**
 * One system's scores split by class, each array sorted ascending. Every metric here starts
 * from this form, so a caller that needs several metrics sorts once.
 */
export interface SortedScores {
  readonly bonafide: Float64Array;
  readonly spoof: Float64Array;
}

/**
 * Split scores by class and sort each class (one O(n log n) step for all metrics).
 * NaN and infinite scores are refused, as the ASVspoof eval packages refuse them
 * ("Your scores contain nan or inf"), and both classes must be present.
 */
export function sortByClass(scores: ArrayLike<number>, isBonafide: BonafideFlags, what = 'scores'): SortedScores {
  if (scores.length !== isBonafide.length) {
    throw new UserError(`${what}: ${scores.length} scores but ${isBonafide.length} labels; give exactly one label per score.`);
  }
  let nBonafide = 0;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i] as number;
    if (!Number.isFinite(score)) {
      throw new UserError(
        `${what}: score ${i} is ${String(score)}; NaN and infinite scores are refused (as by the ASVspoof scorers). ` +
          'Check the model output for overflow or a diverged run.',
      );
    }
    if (isBonafide[i]) nBonafide++;
  }
  const nSpoof = scores.length - nBonafide;
  if (nBonafide === 0 || nSpoof === 0) {
    throw new UserError(
      `${what}: only ${nBonafide === 0 ? 'spoof' : 'bona fide'} trials (${scores.length}); ` +
        'detection metrics need both bona fide and spoof trials.',
    );
  }
  const bonafide = new Float64Array(nBonafide);
  const spoof = new Float64Array(nSpoof);
  let b = 0;
  let s = 0;
  for (let i = 0; i < scores.length; i++) {
    if (isBonafide[i]) bonafide[b++] = scores[i] as number;
    else spoof[s++] = scores[i] as number;
  }
  // The typed-array sort is numeric and native: far faster than sorting an index array
  // with a comparator, and it is all the ASVspoof tie rule needs (see mergeSortedClasses).
  bonafide.sort();
  spoof.sort();
  return { bonafide, spoof };
}

/**
 * The pooled score order of the ASVspoof eval packages' compute_det_curve: bona fide scores
 * concatenated before spoof scores, then `np.argsort(kind='mergesort')` (stable). Among equal
 * scores every bona fide trial therefore precedes every spoof trial; within a class the order
 * of equal scores does not change any count. Merging the two sorted classes with "bona fide
 * first on ties" reproduces that label sequence exactly, in O(n).
 */
export interface MergedOrder {
  /** All scores ascending (the eval package's `thresholds` without its leading sentinel). */
  readonly values: Float64Array;
  /** 1 where the trial at that position is bona fide. */
  readonly bonafideAt: Uint8Array;
  readonly nBonafide: number;
  readonly nSpoof: number;
}

export function mergeSortedClasses(sorted: SortedScores): MergedOrder {
  const { bonafide, spoof } = sorted;
  const n = bonafide.length + spoof.length;
  const values = new Float64Array(n);
  const bonafideAt = new Uint8Array(n);
  let b = 0;
  let s = 0;
  for (let k = 0; k < n; k++) {
    // `<=` puts bona fide first on ties; -0 and +0 compare equal, as in numpy.
    if (s >= spoof.length || (b < bonafide.length && (bonafide[b] as number) <= (spoof[s] as number))) {
      values[k] = bonafide[b++] as number;
      bonafideAt[k] = 1;
    } else {
      values[k] = spoof[s++] as number;
    }
  }
  return { values, bonafideAt, nBonafide: bonafide.length, nSpoof: spoof.length };
}
