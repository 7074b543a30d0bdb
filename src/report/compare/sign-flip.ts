import { Rng } from '../../util/rng.js';

/** Up to this many pairs every sign pattern is enumerated (2^20 patterns); beyond, they are sampled. */
const exactLimit = 20;

export interface SignFlipResult {
  pValue: number;
  /** "exact" (every sign pattern) or "monte-carlo" (seeded draws). */
  method: 'exact' | 'monte-carlo';
  iterations: number;
}

/**
 * Two-sided paired sign-flip (permutation) test of "mean difference is zero": under the
 * null each difference is as likely positive as negative, so the observed |mean| is ranked
 * among the means with every sign pattern. Written here because simple-statistics' tests
 * are unpaired or unseeded; exact for small n, seeded Monte Carlo with the (count + 1) /
 * (draws + 1) correction beyond.
 */
export function signFlipTest(differences: number[], options: { iterations?: number; seed?: number } = {}): SignFlipResult {
  const n = differences.length;
  if (n === 0) return { pValue: 1, method: 'exact', iterations: 0 };
  const observed = Math.abs(sum(differences));
  // Ties at the observed value count as extreme; a relative tolerance absorbs rounding.
  const tolerance = 1e-12 * Math.max(1, differences.reduce((s, d) => s + Math.abs(d), 0));
  if (n <= exactLimit) {
    const patterns = 2 ** n;
    let extreme = 0;
    for (let mask = 0; mask < patterns; mask++) {
      let total = 0;
      for (let i = 0; i < n; i++) total += mask & (1 << i) ? -(differences[i] as number) : (differences[i] as number);
      if (Math.abs(total) >= observed - tolerance) extreme++;
    }
    return { pValue: extreme / patterns, method: 'exact', iterations: patterns };
  }
  const iterations = options.iterations ?? 100_000;
  const rng = Rng.fromLabels('report.sign-flip', options.seed ?? 0);
  let extreme = 0;
  for (let r = 0; r < iterations; r++) {
    let total = 0;
    for (const d of differences) total += rng.uniform() < 0.5 ? -d : d;
    if (Math.abs(total) >= observed - tolerance) extreme++;
  }
  return { pValue: Math.min(1, (extreme + 1) / (iterations + 1)), method: 'monte-carlo', iterations };
}

function sum(values: number[]): number {
  return values.reduce((s, v) => s + v, 0);
}
