import type { Rng } from '../util/rng.js';

/**
 * How many times each of `n` items is drawn in one bootstrap replicate (n draws with
 * replacement). Counting draws instead of collecting them lets an already sorted class be
 * resampled in O(n) with its order kept (see expandSorted), so replicates need no sort.
 */
export function drawCounts(n: number, rng: Rng, counts: Uint32Array): Uint32Array {
  counts.fill(0, 0, n);
  for (let i = 0; i < n; i++) counts[rng.int(n)]! += 1;
  return counts;
}

/**
 * Write `values[order[j]]` repeated `counts[order[j]]` times for j = 0.. into `out`. With
 * `order` listing the items by ascending value, `out` comes out sorted. Returns `out`.
 */
export function expandSorted(values: ArrayLike<number>, order: ArrayLike<number> | null, counts: Uint32Array, out: Float64Array): Float64Array {
  let k = 0;
  for (let j = 0; j < values.length; j++) {
    const item = order === null ? j : (order[j] as number);
    const value = values[item] as number;
    for (let c = counts[item] as number; c > 0; c--) out[k++] = value;
  }
  return out;
}
