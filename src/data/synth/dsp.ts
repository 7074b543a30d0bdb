/**
 * The few filters the generator needs, written out because they are a handful of lines
 * each and no dependency of this project provides IIR design (fft.js only transforms).
 * Biquads follow the RBJ audio-EQ cookbook; everything runs in Float64Array.
 */
export interface BiquadCoefficients {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

export type BiquadKind = 'lowpass' | 'highpass' | 'bandpass' | 'peak' | 'lowshelf' | 'highshelf';

export function biquad(kind: BiquadKind, frequency: number, sampleRate: number, q = Math.SQRT1_2, gainDb = 0): BiquadCoefficients {
  const w0 = (2 * Math.PI * Math.min(frequency, 0.49 * sampleRate)) / sampleRate;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a = 10 ** (gainDb / 40);
  let b0: number, b1: number, b2: number, a0: number, a1: number, a2: number;
  switch (kind) {
    case 'lowpass':
      [b0, b1, b2] = [(1 - cos) / 2, 1 - cos, (1 - cos) / 2];
      [a0, a1, a2] = [1 + alpha, -2 * cos, 1 - alpha];
      break;
    case 'highpass':
      [b0, b1, b2] = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2];
      [a0, a1, a2] = [1 + alpha, -2 * cos, 1 - alpha];
      break;
    case 'bandpass':
      [b0, b1, b2] = [alpha, 0, -alpha];
      [a0, a1, a2] = [1 + alpha, -2 * cos, 1 - alpha];
      break;
    case 'peak':
      [b0, b1, b2] = [1 + alpha * a, -2 * cos, 1 - alpha * a];
      [a0, a1, a2] = [1 + alpha / a, -2 * cos, 1 - alpha / a];
      break;
    case 'lowshelf': {
      const s = 2 * Math.sqrt(a) * alpha;
      [b0, b1, b2] = [a * (a + 1 - (a - 1) * cos + s), 2 * a * (a - 1 - (a + 1) * cos), a * (a + 1 - (a - 1) * cos - s)];
      [a0, a1, a2] = [a + 1 + (a - 1) * cos + s, -2 * (a - 1 + (a + 1) * cos), a + 1 + (a - 1) * cos - s];
      break;
    }
    case 'highshelf': {
      const s = 2 * Math.sqrt(a) * alpha;
      [b0, b1, b2] = [a * (a + 1 + (a - 1) * cos + s), -2 * a * (a - 1 + (a + 1) * cos), a * (a + 1 + (a - 1) * cos - s)];
      [a0, a1, a2] = [a + 1 - (a - 1) * cos + s, 2 * (a - 1 - (a + 1) * cos), a + 1 - (a - 1) * cos - s];
      break;
    }
  }
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0 };
}

/** Run a biquad over a signal in place (direct form I) and return it. */
export function applyBiquad(x: Float64Array, c: BiquadCoefficients): Float64Array {
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let n = 0; n < x.length; n++) {
    const x0 = x[n] as number;
    const y0 = c.b0 * x0 + c.b1 * x1 + c.b2 * x2 - c.a1 * y1 - c.a2 * y2;
    x2 = x1;
    x1 = x0;
    y2 = y1;
    y1 = y0;
    x[n] = y0;
  }
  return x;
}

/** Butterworth-like steep low/high pass: `order / 2` cascaded biquads. */
export function applySteep(x: Float64Array, kind: 'lowpass' | 'highpass', frequency: number, sampleRate: number, order = 4): Float64Array {
  const sections = Math.max(1, Math.round(order / 2));
  for (let k = 0; k < sections; k++) {
    // Butterworth section Qs: 1 / (2 cos(pi (2k + 1) / (2 order)))
    const q = 1 / (2 * Math.cos((Math.PI * (2 * k + 1)) / (2 * sections * 2)));
    applyBiquad(x, biquad(kind, frequency, sampleRate, q));
  }
  return x;
}

export function rms(x: ArrayLike<number>, start = 0, end = x.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += (x[i] as number) ** 2;
  return Math.sqrt(sum / Math.max(1, end - start));
}

export function peak(x: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] as number));
  return max;
}

export function scaleInPlace(x: Float64Array, factor: number): Float64Array {
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) * factor;
  return x;
}

export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

/** Coefficient of a one-pole smoother with time constant `seconds`. */
export function smoothingCoefficient(seconds: number, sampleRate: number): number {
  return seconds <= 0 ? 0 : Math.exp(-1 / (seconds * sampleRate));
}
