import FFT from 'fft.js';
import { istft, magnitudes, stft } from './stft.js';

/**
 * Detector-free statistics of a clip: the trivial ones a shortcut would use (duration,
 * loudness, leading silence) and one per spoof family that exposes its artefact. They
 * back the corpus tests and `ablate data synth --stats`; none of them is a detector.
 */
export type StatisticName = 'cepstralPeak' | 'pitchJumps' | 'mirrorCorrelation' | 'highBandRatio' | 'highBandPeriodicity';

export interface TrivialFeatures {
  durationSeconds: number;
  rmsDb: number;
  leadingSilenceSeconds: number;
}

const frameSeconds = 0.01;

export function trivialFeatures(samples: Float32Array | Float64Array, sampleRate: number): TrivialFeatures {
  let sum = 0;
  for (const v of samples) sum += v * v;
  return {
    durationSeconds: samples.length / sampleRate,
    rmsDb: 10 * Math.log10(sum / Math.max(1, samples.length) + 1e-20),
    leadingSilenceSeconds: leadingSilence(samples, sampleRate),
  };
}

/** Per-frame (10 ms) energy in dB. */
export function frameEnergiesDb(samples: ArrayLike<number>, sampleRate: number): Float64Array {
  const size = Math.round(frameSeconds * sampleRate);
  const count = Math.floor(samples.length / size);
  const out = new Float64Array(count);
  for (let f = 0; f < count; f++) {
    let sum = 0;
    for (let i = f * size; i < (f + 1) * size; i++) sum += (samples[i] as number) ** 2;
    out[f] = 10 * Math.log10(sum / size + 1e-20);
  }
  return out;
}

/**
 * Time before the first frame that rises well above the clip's noise floor: the floor
 * is the 10th percentile of frame energies, the threshold a third of the way from it to
 * the loudest frame (at least 15 dB over the floor).
 */
export function leadingSilence(samples: ArrayLike<number>, sampleRate: number): number {
  const energies = frameEnergiesDb(samples, sampleRate);
  if (energies.length === 0) return 0;
  const sorted = Float64Array.from(energies).sort();
  const floor = sorted[Math.floor(0.1 * (sorted.length - 1))] as number;
  const top = sorted[sorted.length - 1] as number;
  const threshold = floor + Math.max(15, (top - floor) / 3);
  const first = energies.findIndex((e) => e >= threshold);
  return (first < 0 ? energies.length : first) * frameSeconds;
}

interface PitchFrame {
  /** Centre time in seconds. */
  time: number;
  f0: number;
  /** Normalised autocorrelation at the chosen lag (voicing strength). */
  strength: number;
  energyDb: number;
}

/**
 * A plain autocorrelation pitch tracker (40 ms frames, 10 ms hop, 60-420 Hz) computed
 * through the FFT, with parabolic interpolation of the peak. Frames with strength > 0.6
 * and energy within 30 dB of the loudest frame count as voiced.
 */
export function pitchTrack(samples: ArrayLike<number>, sampleRate: number): PitchFrame[] {
  const size = Math.round(0.04 * sampleRate);
  const hop = Math.round(frameSeconds * sampleRate);
  let nFft = 1;
  while (nFft < 2 * size) nFft *= 2;
  const fft = new FFT(nFft);
  const input = new Array<number>(nFft).fill(0);
  const spectrum = fft.createComplexArray() as number[];
  const power = fft.createComplexArray() as number[];
  const correlation = fft.createComplexArray() as number[];
  const minLag = Math.floor(sampleRate / 420);
  const maxLag = Math.ceil(sampleRate / 60);
  // Autocorrelation of the analysis window itself, to undo its taper at each lag.
  const window = Float64Array.from({ length: size }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / size));
  const windowCorrelation = new Float64Array(maxLag + 2);
  for (let lag = 0; lag < windowCorrelation.length; lag++) {
    let s = 0;
    for (let i = 0; i + lag < size; i++) s += (window[i] as number) * (window[i + lag] as number);
    windowCorrelation[lag] = s;
  }
  const frames: PitchFrame[] = [];
  for (let start = 0; start + size <= samples.length; start += hop) {
    let energy = 0;
    for (let i = 0; i < size; i++) {
      const v = (samples[start + i] as number) * (window[i] as number);
      input[i] = v;
      energy += v * v;
    }
    for (let i = size; i < nFft; i++) input[i] = 0;
    fft.realTransform(spectrum, input);
    fft.completeSpectrum(spectrum);
    for (let k = 0; k < nFft; k++) {
      power[2 * k] = (spectrum[2 * k] as number) ** 2 + (spectrum[2 * k + 1] as number) ** 2;
      power[2 * k + 1] = 0;
    }
    fft.inverseTransform(correlation, power);
    const r0 = correlation[0] as number;
    const normalised = (lag: number): number => (correlation[2 * lag] as number) / r0 / ((windowCorrelation[lag] as number) / (windowCorrelation[0] as number));
    let bestLag = minLag;
    let best = -Infinity;
    for (let lag = minLag; lag <= maxLag; lag++) {
      const value = normalised(lag);
      if (value > best) {
        best = value;
        bestLag = lag;
      }
    }
    // Subharmonic guard: a periodic signal correlates about as well at two or three
    // periods as at one, so a peak near half or a third of the best lag that is nearly as
    // strong is the real period.
    for (const divisor of [3, 2]) {
      const candidate = Math.round(bestLag / divisor);
      if (candidate < minLag) continue;
      let local = candidate;
      for (let l = Math.max(minLag, candidate - 2); l <= candidate + 2; l++) if (normalised(l) > normalised(local)) local = l;
      const value = normalised(local);
      if (value >= 0.9 * best) {
        bestLag = local;
        best = value;
        break;
      }
    }
    let lag = bestLag;
    if (bestLag > minLag && bestLag < maxLag) {
      const a = normalised(bestLag - 1);
      const c = normalised(bestLag + 1);
      const denominator = a - 2 * best + c;
      if (denominator < 0) lag = bestLag + (0.5 * (a - c)) / denominator;
    }
    frames.push({ time: (start + size / 2) / sampleRate, f0: sampleRate / lag, strength: r0 > 0 ? best : 0, energyDb: 10 * Math.log10(energy / size + 1e-20) });
  }
  const loudest = frames.reduce((m, f) => Math.max(m, f.energyDb), -Infinity);
  return medianSmoothed(frames.filter((f) => f.strength > 0.6 && f.energyDb > loudest - 30));
}

/**
 * 5-point median of the pitch within runs of consecutive voiced frames: removes single
 * octave errors of the tracker but keeps steps (a splice's pitch jump) intact.
 */
function medianSmoothed(track: PitchFrame[]): PitchFrame[] {
  return track.map((frame, i) => {
    const window: number[] = [];
    for (let j = i - 2; j <= i + 2; j++) {
      const other = track[j];
      if (other !== undefined && Math.abs(other.time - frame.time) <= 2.5 * frameSeconds) window.push(other.f0);
    }
    window.sort((a, b) => a - b);
    return { ...frame, f0: window[Math.floor(window.length / 2)] as number };
  });
}

/**
 * Pitch jumps per second of voiced speech: pairs of voiced frames 20-60 ms apart whose
 * pitch differs by 1.2-7 semitones at more than 45 semitones per second. Intonation moves
 * slower (pitch accents reach about 30 st/s); octave errors are larger. Frames that
 * straddle a discontinuity often fail the voicing test, hence the gap allowance.
 */
export function pitchJumps(samples: ArrayLike<number>, sampleRate: number): number {
  const track = pitchTrack(samples, sampleRate);
  let jumps = 0;
  for (let i = 0; i < track.length; i++) {
    const a = track[i] as PitchFrame;
    const b = track.slice(i + 1).find((f) => f.time - a.time >= 2 * frameSeconds - 1e-6);
    if (b === undefined || b.time - a.time > 6 * frameSeconds + 1e-6) continue;
    const step = Math.abs(12 * Math.log2(b.f0 / a.f0));
    if (step > 1.2 && step < 7 && step / (b.time - a.time) > 45) jumps++;
  }
  return track.length === 0 ? 0 : jumps / (track.length * frameSeconds);
}

interface SpectralFrames {
  bins: number;
  frames: number;
  binHz: number;
  logMagnitude: Float64Array;
  energyDb: Float64Array;
}

function spectralFrames(samples: ArrayLike<number>, sampleRate: number, nFft = 512): SpectralFrames {
  const spec = stft(samples, nFft, Math.round(frameSeconds * sampleRate));
  const mag = magnitudes(spec);
  const logMagnitude = mag.map((m) => Math.log(m + 1e-9));
  const energyDb = new Float64Array(spec.frames);
  for (let f = 0; f < spec.frames; f++) {
    let e = 0;
    for (let k = 0; k < spec.bins; k++) e += (mag[f * spec.bins + k] as number) ** 2;
    energyDb[f] = 10 * Math.log10(e + 1e-20);
  }
  return { bins: spec.bins, frames: spec.frames, binHz: sampleRate / nFft, logMagnitude, energyDb };
}

/** Frames within `rangeDb` of the loudest: where speech is. */
function loudFrames(s: SpectralFrames, rangeDb = 20): number[] {
  const top = s.energyDb.reduce((m, e) => Math.max(m, e), -Infinity);
  const frames: number[] = [];
  for (let f = 0; f < s.frames; f++) if ((s.energyDb[f] as number) > top - rangeDb) frames.push(f);
  return frames;
}

/**
 * Mean cepstral peak prominence (dB) of loud frames: how far the cepstral peak in the
 * pitch range stands above the cepstrum's trend. Clean, regular harmonics give a high
 * value; phase-smeared or noisy harmonics a low one.
 */
export function cepstralPeak(samples: ArrayLike<number>, sampleRate: number): number {
  const nFft = 1024;
  const s = spectralFrames(samples, sampleRate, nFft);
  const fft = new FFT(nFft);
  const input = new Array<number>(nFft).fill(0);
  const out = fft.createComplexArray() as number[];
  const minQ = Math.floor(sampleRate / 420);
  const maxQ = Math.ceil(sampleRate / 60);
  const values: number[] = [];
  for (const f of loudFrames(s)) {
    for (let k = 0; k < nFft; k++) {
      const bin = k < s.bins ? k : nFft - k;
      input[k] = ((20 / Math.LN10) * (s.logMagnitude[f * s.bins + bin] as number));
    }
    fft.realTransform(out, input);
    const cepstrum: number[] = [];
    for (let q = minQ; q <= maxQ; q++) cepstrum.push(Math.abs(out[2 * q] as number) / nFft);
    // Linear trend over the searched quefrencies; the prominence is the peak above it.
    const n = cepstrum.length;
    const meanX = (n - 1) / 2;
    const meanY = cepstrum.reduce((a, b) => a + b, 0) / n;
    let sxy = 0;
    let sxx = 0;
    cepstrum.forEach((y, x) => {
      sxy += (x - meanX) * (y - meanY);
      sxx += (x - meanX) ** 2;
    });
    const slope = sxy / sxx;
    let best = -Infinity;
    cepstrum.forEach((y, x) => (best = Math.max(best, y - (meanY + slope * (x - meanX)))));
    values.push(best);
  }
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Correlation, over loud frames, between the log spectrum of the band just above fs/4
 * and the mirror image of the band just below it (f <-> fs/2 - f). Upsampling images make
 * the upper band a copy of the lower one.
 */
export function mirrorCorrelation(samples: ArrayLike<number>, sampleRate: number): number {
  const s = spectralFrames(samples, sampleRate);
  const low = Math.round(1200 / s.binHz);
  const high = Math.round((sampleRate / 4 - 200) / s.binHz);
  const nyquistBin = s.bins - 1;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const f of loudFrames(s)) {
    for (let k = low; k <= high; k++) {
      xs.push(s.logMagnitude[f * s.bins + k] as number);
      ys.push(s.logMagnitude[f * s.bins + (nyquistBin - k)] as number);
    }
  }
  return pearson(xs, ys);
}

/** Median over loud frames of the energy ratio (dB) of 5-7 kHz to 0.3-3 kHz. */
export function highBandRatio(samples: ArrayLike<number>, sampleRate: number): number {
  const s = spectralFrames(samples, sampleRate);
  const band = (f: number, lo: number, hi: number): number => {
    let e = 0;
    for (let k = Math.round(lo / s.binHz); k <= Math.min(s.bins - 1, Math.round(hi / s.binHz)); k++) e += Math.exp(2 * (s.logMagnitude[f * s.bins + k] as number));
    return e;
  };
  const ratios = loudFrames(s).map((f) => 10 * Math.log10(band(f, 5000, Math.min(7000, 0.44 * sampleRate)) / band(f, 300, 3000)));
  ratios.sort((a, b) => a - b);
  return ratios.length === 0 ? 0 : (ratios[Math.floor(ratios.length / 2)] as number);
}

/**
 * How strongly the high band (4.5-7 kHz) pulses at the pitch period: the energy envelope
 * of the high band is autocorrelated at the lag of the voiced frame's pitch. Real voiced
 * speech excites the high band once per glottal pulse; shaped noise does not.
 */
export function highBandPeriodicity(samples: ArrayLike<number>, sampleRate: number): number {
  const track = pitchTrack(samples, sampleRate);
  if (track.length === 0) return 0;
  // High band by FFT masking of the whole clip, then its squared envelope (1.5 ms moving sum).
  const spec = stft(samples, 512, 128);
  const binHz = sampleRate / 512;
  for (let f = 0; f < spec.frames; f++) {
    for (let k = 0; k < spec.bins; k++) {
      const hz = k * binHz;
      if (hz < 4500 || hz > Math.min(7000, 0.44 * sampleRate)) {
        spec.re[f * spec.bins + k] = 0;
        spec.im[f * spec.bins + k] = 0;
      }
    }
  }
  const high = istft(spec);
  const smoothing = Math.max(1, Math.round(0.0015 * sampleRate));
  const envelope = new Float64Array(high.length);
  let acc = 0;
  for (let n = 0; n < high.length; n++) {
    acc += (high[n] as number) ** 2;
    if (n >= smoothing) acc -= (high[n - smoothing] as number) ** 2;
    envelope[n] = acc;
  }
  const size = Math.round(0.04 * sampleRate);
  const values: number[] = [];
  for (const frame of track) {
    const centre = Math.round(frame.time * sampleRate);
    const start = Math.max(0, centre - size / 2);
    const end = Math.min(envelope.length, start + size);
    const lag = Math.round(sampleRate / frame.f0);
    if (end - start <= lag + 4) continue;
    let mean = 0;
    for (let n = start; n < end; n++) mean += envelope[n] as number;
    mean /= end - start;
    let num = 0;
    let den = 0;
    for (let n = start; n < end; n++) {
      const a = (envelope[n] as number) - mean;
      den += a * a;
      if (n + lag < end) num += a * ((envelope[n + lag] as number) - mean);
    }
    if (den > 0) values.push(num / den);
  }
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

export function pearson(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

export const statistics: Readonly<Record<StatisticName, (samples: ArrayLike<number>, sampleRate: number) => number>> = {
  cepstralPeak,
  pitchJumps,
  mirrorCorrelation,
  highBandRatio,
  highBandPeriodicity,
};
