import FFT from 'fft.js';

/**
 * Short-time Fourier analysis and overlap-add synthesis for the generator's spectral
 * families (phase reconstruction, band replication) and its analysis statistics. Frames
 * start at 0 with hop `hop`; the signal is zero-padded by one window on both sides so
 * the edges are reconstructed exactly.
 */
export interface Spectrogram {
  nFft: number;
  hop: number;
  frames: number;
  /** Bins per frame (nFft / 2 + 1). */
  bins: number;
  re: Float64Array;
  im: Float64Array;
  /** Samples of the signal it was computed from. */
  length: number;
}

export function hann(size: number): Float64Array {
  const w = new Float64Array(size);
  for (let i = 0; i < size; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
  return w;
}

const ffts = new Map<number, FFT>();
function fftOf(size: number): FFT {
  let fft = ffts.get(size);
  if (fft === undefined) {
    fft = new FFT(size);
    ffts.set(size, fft);
  }
  return fft;
}

export function stft(x: ArrayLike<number>, nFft: number, hop: number): Spectrogram {
  const window = hann(nFft);
  const padded = x.length + 2 * nFft;
  const frames = Math.floor((padded - nFft) / hop) + 1;
  const bins = nFft / 2 + 1;
  const re = new Float64Array(frames * bins);
  const im = new Float64Array(frames * bins);
  const fft = fftOf(nFft);
  const input = new Array<number>(nFft).fill(0);
  const output = fft.createComplexArray() as number[];
  for (let f = 0; f < frames; f++) {
    const start = f * hop - nFft;
    for (let i = 0; i < nFft; i++) {
      const n = start + i;
      input[i] = n >= 0 && n < x.length ? (x[n] as number) * (window[i] as number) : 0;
    }
    fft.realTransform(output, input);
    for (let k = 0; k < bins; k++) {
      re[f * bins + k] = output[2 * k] as number;
      im[f * bins + k] = output[2 * k + 1] as number;
    }
  }
  return { nFft, hop, frames, bins, re, im, length: x.length };
}

/** Weighted overlap-add inverse (least-squares for a Hann analysis/synthesis pair). */
export function istft(spec: Spectrogram): Float64Array {
  const { nFft, hop, frames, bins } = spec;
  const window = hann(nFft);
  const padded = spec.length + 2 * nFft;
  const out = new Float64Array(padded);
  const norm = new Float64Array(padded);
  const fft = fftOf(nFft);
  const full = fft.createComplexArray() as number[];
  const time = fft.createComplexArray() as number[];
  for (let f = 0; f < frames; f++) {
    for (let k = 0; k < bins; k++) {
      full[2 * k] = spec.re[f * bins + k] as number;
      full[2 * k + 1] = spec.im[f * bins + k] as number;
    }
    // Hermitian symmetry for a real signal.
    for (let k = bins; k < nFft; k++) {
      full[2 * k] = full[2 * (nFft - k)] as number;
      full[2 * k + 1] = -(full[2 * (nFft - k) + 1] as number);
    }
    fft.inverseTransform(time, full);
    const start = f * hop;
    for (let i = 0; i < nFft; i++) {
      const w = window[i] as number;
      out[start + i] = (out[start + i] as number) + (time[2 * i] as number) * w;
      norm[start + i] = (norm[start + i] as number) + w * w;
    }
  }
  const result = new Float64Array(spec.length);
  for (let n = 0; n < spec.length; n++) {
    const w = norm[n + nFft] as number;
    result[n] = w > 1e-8 ? (out[n + nFft] as number) / w : 0;
  }
  return result;
}

export function magnitudes(spec: Spectrogram): Float64Array {
  const mag = new Float64Array(spec.re.length);
  for (let i = 0; i < mag.length; i++) mag[i] = Math.hypot(spec.re[i] as number, spec.im[i] as number);
  return mag;
}
