import { hzToMel, melToHz } from './mel-scale.js';

/**
 * Triangular filters over the FFT bins, stored sparsely (each filter touches a few bins
 * of a spectrum), so applying them costs ~2 multiply-adds per bin instead of bins x filters.
 */
export interface Filterbank {
  count: number;
  /** First bin of filter m. */
  start: Int32Array;
  /** Offset of filter m's weights in `weights`; `offset[count]` is the total. */
  offset: Int32Array;
  weights: Float64Array;
}

/** linspace(low, high, n) as torch.linspace computes it. */
function linspace(low: number, high: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const step = n > 1 ? (high - low) / (n - 1) : 0;
  for (let i = 0; i < n; i++) out[i] = low + step * i;
  return out;
}

/**
 * torchaudio's _create_triangular_filterbank: bin centres at linspace(0, sr // 2, bins),
 * filter m rising from f[m] to f[m+1] and falling to f[m+2], each side a straight line
 * in Hz; with `slaneyNorm`, each filter scaled by 2 / (f[m+2] - f[m]) (equal area).
 */
export function triangularFilterbank(sampleRate: number, nFft: number, cornerHz: Float64Array, slaneyNorm: boolean): Filterbank {
  const bins = Math.floor(nFft / 2) + 1;
  const binHz = linspace(0, Math.floor(sampleRate / 2), bins);
  const count = cornerHz.length - 2;
  const start = new Int32Array(count);
  const offset = new Int32Array(count + 1);
  const weights: number[] = [];
  for (let m = 0; m < count; m++) {
    const [low, centre, high] = [cornerHz[m]!, cornerHz[m + 1]!, cornerHz[m + 2]!];
    const scale = slaneyNorm ? 2 / (high - low) : 1;
    let first = -1;
    const row: number[] = [];
    for (let k = 0; k < bins; k++) {
      const hz = binHz[k]!;
      const down = (hz - low) / (centre - low);
      const up = (high - hz) / (high - centre);
      const weight = Math.max(0, Math.min(down, up)) * scale;
      if (weight > 0) {
        if (first < 0) first = k;
        // Zeros inside a filter (none for a proper triangle) keep bins contiguous.
        for (let gap = first + row.length; gap < k; gap++) row.push(0);
        row.push(weight);
      }
    }
    start[m] = Math.max(first, 0);
    offset[m] = weights.length;
    weights.push(...row);
  }
  offset[count] = weights.length;
  return { count, start, offset, weights: Float64Array.from(weights) };
}

/** torchaudio.functional.melscale_fbanks. */
export function melFilterbank(sampleRate: number, nFft: number, fMin: number, fMax: number, nMels: number, scale: 'htk' | 'slaney', norm: 'none' | 'slaney'): Filterbank {
  const mels = linspace(hzToMel(fMin, scale), hzToMel(fMax, scale), nMels + 2);
  const corners = mels.map((mel) => melToHz(mel, scale));
  return triangularFilterbank(sampleRate, nFft, corners, norm === 'slaney');
}

/** torchaudio.functional.linear_fbanks (LFCC): corners evenly spaced in Hz, no norm. */
export function linearFilterbank(sampleRate: number, nFft: number, fMin: number, fMax: number, nFilter: number): Filterbank {
  return triangularFilterbank(sampleRate, nFft, linspace(fMin, fMax, nFilter + 2), false);
}

/** out[m] = sum over filter m's bins of weight * spectrum[bin]. */
export function applyFilterbank(bank: Filterbank, spectrum: Float64Array, out: Float64Array): void {
  const { count, start, offset, weights } = bank;
  for (let m = 0; m < count; m++) {
    let sum = 0;
    const end = offset[m + 1]!;
    for (let w = offset[m]!, k = start[m]!; w < end; w++, k++) sum += weights[w]! * spectrum[k]!;
    out[m] = sum;
  }
}
