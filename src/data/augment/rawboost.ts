import type { Rng } from '../../util/rng.js';
import { convolve, firwin, peakMagnitude } from './firwin.js';
import { filterFir } from './fir-filter.js';

/**
 * RawBoost (Tak et al., ICASSP 2022), after RawBoost.py of SSL_Anti-spoofing, with its
 * default parameters. Three noise models: linear and non-linear convolutive (LnL),
 * impulsive signal-dependent (ISD) and stationary signal-independent (SSI).
 */
export interface RawBoostParameters {
  /** Notch filters cascaded per random filter. */
  nBands: number;
  minF: number;
  maxF: number;
  minBW: number;
  maxBW: number;
  minCoeff: number;
  maxCoeff: number;
  /** Filter gain range in dB. */
  minG: number;
  maxG: number;
  /** Gain shift (dB down) for the non-linear terms x^2 ... x^N_f. */
  minBiasLinNonLin: number;
  maxBiasLinNonLin: number;
  /** Number of polynomial terms of LnL. */
  N_f: number;
  /** Max percentage of samples ISD corrupts, and its gain. */
  P: number;
  g_sd: number;
  SNRmin: number;
  SNRmax: number;
}

export const rawBoostDefaults: Readonly<RawBoostParameters> = {
  nBands: 5,
  minF: 20,
  maxF: 8000,
  minBW: 100,
  maxBW: 1000,
  minCoeff: 10,
  maxCoeff: 100,
  minG: 0,
  maxG: 0,
  minBiasLinNonLin: 5,
  maxBiasLinNonLin: 20,
  N_f: 5,
  P: 10,
  g_sd: 2,
  SNRmin: 10,
  SNRmax: 40,
};

/**
 * Apply RawBoost algorithm `algorithm` (1-8; 0 returns a copy) to a waveform. Returns a
 * new array; the input is never changed.
 */
export function rawboost(samples: Float32Array, sampleRate: number, algorithm: number, rng: Rng, parameters: RawBoostParameters = rawBoostDefaults): Float32Array {
  const x = Float64Array.from(samples);
  const lnl = (v: Float64Array): Float64Array => lnlConvolutiveNoise(v, sampleRate, rng.fork('lnl'), parameters);
  const isd = (v: Float64Array): Float64Array => isdAdditiveNoise(v, rng.fork('isd'), parameters);
  const ssi = (v: Float64Array): Float64Array => ssiAdditiveNoise(v, sampleRate, rng.fork('ssi'), parameters);
  let y: Float64Array;
  switch (algorithm) {
    case 0:
      y = x;
      break;
    case 1:
      y = lnl(x);
      break;
    case 2:
      y = isd(x);
      break;
    case 3:
      y = ssi(x);
      break;
    case 4:
      y = ssi(isd(lnl(x)));
      break;
    case 5:
      y = isd(lnl(x));
      break;
    case 6:
      y = ssi(lnl(x));
      break;
    case 7:
      y = ssi(isd(x));
      break;
    case 8: {
      const a = lnl(x);
      const b = isd(x);
      y = normalisePeak(a.map((v, i) => v + (b[i] as number)), false);
      break;
    }
    default:
      throw new RangeError(`RawBoost algorithm must be an integer 0-8 (got ${algorithm})`);
  }
  return Float32Array.from(y);
}

/**
 * LnL: sum over i = 1..N_f of x^i through its own random notch-filter cascade; the
 * non-linear terms (i >= 2) are attenuated. The reference code shifts their gains by the
 * fixed minBiasLinNonLin (5 dB) only; the paper and SDD.md describe a shift drawn from
 * [minBiasLinNonLin, maxBiasLinNonLin], which is what this draws (once per call).
 */
export function lnlConvolutiveNoise(x: Float64Array, sampleRate: number, rng: Rng, p: RawBoostParameters): Float64Array {
  const y = new Float64Array(x.length);
  const bias = rng.between(p.minBiasLinNonLin, p.maxBiasLinNonLin);
  for (let i = 0; i < p.N_f; i++) {
    const shift = i === 0 ? 0 : bias;
    const b = notchCoefficients(rng, p, sampleRate, p.minG - shift, p.maxG - shift);
    const power = x.map((v) => v ** (i + 1));
    const filtered = filterFir(power, b);
    for (let n = 0; n < y.length; n++) y[n] = (y[n] as number) + (filtered[n] as number);
  }
  let mean = 0;
  for (const v of y) mean += v;
  mean /= y.length || 1;
  for (let n = 0; n < y.length; n++) y[n] = (y[n] as number) - mean;
  return normalisePeak(y, false);
}

/** ISD: beta ~ U[0, P] percent of the samples get x + g_sd * x * (2u1 - 1)(2u2 - 1). */
export function isdAdditiveNoise(x: Float64Array, rng: Rng, p: RawBoostParameters): Float64Array {
  const beta = rng.between(0, p.P);
  const y = Float64Array.from(x);
  const count = Math.floor((x.length * beta) / 100);
  // A partial Fisher-Yates shuffle picks `count` distinct positions.
  const positions = new Int32Array(x.length);
  for (let i = 0; i < positions.length; i++) positions[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(positions.length - i);
    const tmp = positions[i] as number;
    positions[i] = positions[j] as number;
    positions[j] = tmp;
    const at = positions[i] as number;
    const factor = (2 * rng.uniform() - 1) * (2 * rng.uniform() - 1);
    y[at] = (x[at] as number) + p.g_sd * (x[at] as number) * factor;
  }
  return normalisePeak(y, false);
}

/** SSI: white noise coloured by a random notch cascade, added at an SNR ~ U[SNRmin, SNRmax] dB. */
export function ssiAdditiveNoise(x: Float64Array, sampleRate: number, rng: Rng, p: RawBoostParameters): Float64Array {
  const white = new Float64Array(x.length);
  for (let i = 0; i < white.length; i++) white[i] = rng.normal();
  const b = notchCoefficients(rng, p, sampleRate, p.minG, p.maxG);
  const noise = normalisePeak(filterFir(white, b), true);
  const snr = rng.between(p.SNRmin, p.SNRmax);
  const noiseNorm = norm(noise);
  const scale = noiseNorm === 0 ? 0 : norm(x) / noiseNorm / 10 ** (0.05 * snr);
  return x.map((v, i) => v + (noise[i] as number) * scale);
}

/**
 * genNotchCoeffs: a cascade of nBands band-stop FIR filters (scipy firwin with two
 * cutoffs and pass_zero=True is a band-stop), odd orders, scaled to a peak gain of G dB.
 * maxF is capped below Nyquist so sample rates under 16 kHz stay valid.
 */
export function notchCoefficients(rng: Rng, p: RawBoostParameters, sampleRate: number, minG: number, maxG: number): Float64Array {
  const nyquist = sampleRate / 2;
  let b: Float64Array = new Float64Array([1]);
  for (let band = 0; band < p.nBands; band++) {
    const centre = rng.between(p.minF, Math.min(p.maxF, nyquist));
    const width = rng.between(p.minBW, p.maxBW);
    let taps = Math.floor(rng.between(p.minCoeff, p.maxCoeff));
    if (taps % 2 === 0) taps += 1;
    let low = centre - width / 2;
    let high = centre + width / 2;
    if (low <= 0) low = 1 / 1000;
    if (high >= nyquist) high = nyquist - 1 / 1000;
    b = convolve(firwin(taps, [low, high], sampleRate, true), b);
  }
  const gain = rng.between(minG, maxG);
  const scale = 10 ** (gain / 20) / peakMagnitude(b);
  return b.map((v) => v * scale);
}

/** normWav: divide by the peak always, or only when the peak exceeds 1. */
export function normalisePeak(y: Float64Array, always: boolean): Float64Array {
  let peak = 0;
  for (const v of y) peak = Math.max(peak, Math.abs(v));
  if (peak === 0 || (!always && peak <= 1)) return y;
  return y.map((v) => v / peak);
}

function norm(x: Float64Array): number {
  let sum = 0;
  for (const v of x) sum += v * v;
  return Math.sqrt(sum);
}
