/**
 * torchaudio.functional.compute_deltas (win_length 5, replicate padding) over the rows
 * [fromRow, fromRow + rows) of a bins x frames matrix, written to rows starting at toRow:
 * d[t] = sum_{k=1..2} k (x[t+k] - x[t-k]) / 10, edges repeating the first/last frame.
 */
export function writeDeltas(data: Float32Array, frames: number, fromRow: number, rows: number, toRow: number): void {
  const last = frames - 1;
  for (let r = 0; r < rows; r++) {
    const src = (fromRow + r) * frames;
    const dst = (toRow + r) * frames;
    for (let t = 0; t < frames; t++) {
      const at = (i: number): number => data[src + Math.min(last, Math.max(0, i))]!;
      data[dst + t] = (at(t + 1) - at(t - 1) + 2 * (at(t + 2) - at(t - 2))) / 10;
    }
  }
}
