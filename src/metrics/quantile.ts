/**
 * The p-quantile of ascending values with linear interpolation between order statistics
 * (Hyndman-Fan type 7, numpy.percentile's and R's default). Written here because
 * simple-statistics' quantileSorted uses a different (nearest-rank) definition, and the
 * percentile intervals should match what numpy users compute from the same replicates.
 */
export function quantileSorted(ascending: ArrayLike<number>, p: number): number {
  const n = ascending.length;
  if (n === 0) return Number.NaN;
  const position = (n - 1) * Math.min(1, Math.max(0, p));
  const below = Math.floor(position);
  const above = Math.min(n - 1, below + 1);
  const low = ascending[below] as number;
  const high = ascending[above] as number;
  return low + (high - low) * (position - below);
}

/** The percentile interval of bootstrap replicates at a two-sided `level` (e.g. 0.95). */
export function percentileInterval(replicates: Float64Array, level: number): { lower: number; upper: number } {
  const sorted = Float64Array.from(replicates).sort();
  const tail = (1 - level) / 2;
  return { lower: quantileSorted(sorted, tail), upper: quantileSorted(sorted, 1 - tail) };
}
