import { UserError } from '../../util/errors.js';
import type { ResolvedFeatureConfig } from './config.js';
import { paddedWindow } from './window.js';
import { createPowerSpectrum, type Frame, type PowerSpectrum } from './power-spectrum.js';
import { applyFilterbank, linearFilterbank, melFilterbank, type Filterbank } from './filterbank.js';
import { applyDct, orthoDct } from './dct.js';
import { writeDeltas } from './deltas.js';

/** A feature matrix, row-major bins x frames (torchaudio's orientation). */
export interface FeatureMatrix {
  shape: [bins: number, frames: number];
  data: Float32Array;
}

/**
 * One resolved config's front end, planned once: window, FFT plan, filterbank and DCT
 * matrix are built in the constructor and the frame buffers are reused across calls,
 * so computing a clip allocates only its output. Not reentrant (shared buffers), which
 * is safe because `compute` is synchronous.
 *
 * The steps follow torchaudio: optional pre-emphasis; STFT with centre reflect padding
 * of nFft/2 and the periodic window centred in nFft; power spectrum; a filterbank (mel
 * or linear) where the kind has one; natural log of (x + logEps); DCT-II (ortho) for
 * cepstra; deltas appended below the base rows; per-row mean over time removed last.
 * Kind 'waveform' is the samples themselves (pre-emphasised if asked), shape [1, n];
 * the spectral fields, deltas and meanNorm do not apply to it.
 */
export class FeatureExtractor {
  readonly config: ResolvedFeatureConfig;
  /** Rows of the base feature, before deltas. */
  readonly baseBins: number;
  readonly bins: number;
  private readonly spectrum: PowerSpectrum | null;
  private readonly window: Float64Array;
  private readonly windowStart: number;
  private readonly windowEnd: number;
  private readonly bank: Filterbank | null;
  private readonly dct: Float64Array | null;
  private readonly frame: Frame;
  private readonly power: Float64Array;
  private readonly filtered: Float64Array;
  private readonly cepstrum: Float64Array;
  private padded = new Float64Array(0);

  constructor(config: ResolvedFeatureConfig) {
    this.config = config;
    const { kind, nFft, winLength, sampleRate } = config;
    const spectral = kind !== 'waveform';
    this.spectrum = spectral ? createPowerSpectrum(nFft) : null;
    this.window = spectral ? paddedWindow(config.window, winLength, nFft) : new Float64Array(0);
    this.windowStart = Math.floor((nFft - winLength) / 2);
    this.windowEnd = this.windowStart + winLength;
    this.bank =
      kind === 'mel' || kind === 'mfcc'
        ? melFilterbank(sampleRate, nFft, config.fMin, config.fMax, config.nMels, config.melScale, config.norm)
        : kind === 'lfcc'
          ? linearFilterbank(sampleRate, nFft, config.fMin, config.fMax, config.nFilter)
          : null;
    const coefficients = kind === 'mfcc' ? config.nMfcc : kind === 'lfcc' ? config.nLfcc : 0;
    this.dct = coefficients > 0 && this.bank !== null ? orthoDct(coefficients, this.bank.count) : null;
    const bins = spectral ? Math.floor(nFft / 2) + 1 : 1;
    this.baseBins = kind === 'waveform' ? 1 : coefficients > 0 ? coefficients : (this.bank?.count ?? bins);
    this.bins = kind === 'waveform' ? 1 : this.baseBins * (1 + config.deltas);
    this.frame = this.spectrum?.createFrame() ?? [];
    this.power = new Float64Array(bins);
    this.filtered = new Float64Array(this.bank?.count ?? 0);
    this.cepstrum = new Float64Array(coefficients);
  }

  /** [bins, frames] for a signal of `samples` samples (torch.stft's frame count). */
  shape(samples: number): [number, number] {
    if (this.config.kind === 'waveform') return [1, samples];
    const { nFft, hopLength } = this.config;
    return [this.bins, 1 + Math.floor((samples + 2 * Math.floor(nFft / 2) - nFft) / hopLength)];
  }

  /** Features of `samples`; written into `out` (bins x frames values) when given. */
  compute(samples: Float32Array, out?: Float32Array): FeatureMatrix {
    const { kind } = this.config;
    if (kind === 'waveform') {
      const data = this.emphasised(samples, out === undefined ? new Float32Array(samples.length) : checkedOut(out, samples.length));
      return { shape: [1, samples.length], data };
    }
    const pad = Math.floor(this.config.nFft / 2);
    if (samples.length <= pad) {
      throw new UserError(`a signal of ${samples.length} samples is too short for nFft ${this.config.nFft}: reflect padding needs more than ${pad} samples.`);
    }
    const [bins, frames] = this.shape(samples.length);
    const data = out === undefined ? new Float32Array(bins * frames) : checkedOut(out, bins * frames);
    const padded = this.reflectPadded(samples, pad);
    const { frame, window, windowStart, windowEnd, power, filtered, cepstrum, bank, dct, baseBins } = this;
    const spectrum = this.spectrum!;
    const hop = this.config.hopLength;
    const eps = this.config.logEps;
    const nFilters = bank?.count ?? 0;
    for (let t = 0; t < frames; t++) {
      const origin = t * hop;
      // Samples outside [windowStart, windowEnd) stay zero from createFrame.
      for (let n = windowStart; n < windowEnd; n++) frame[n] = padded[origin + n]! * window[n]!;
      spectrum.compute(frame, power);
      if (bank === null) {
        for (let k = 0; k < baseBins; k++) data[k * frames + t] = Math.log(power[k]! + eps);
        continue;
      }
      applyFilterbank(bank, power, filtered);
      if (dct === null) {
        for (let m = 0; m < nFilters; m++) data[m * frames + t] = Math.log(filtered[m]! + eps);
        continue;
      }
      for (let m = 0; m < nFilters; m++) filtered[m] = Math.log(filtered[m]! + eps);
      applyDct(dct, baseBins, filtered, nFilters, cepstrum);
      for (let k = 0; k < baseBins; k++) data[k * frames + t] = cepstrum[k]!;
    }
    if (this.config.deltas >= 1) writeDeltas(data, frames, 0, baseBins, baseBins);
    if (this.config.deltas >= 2) writeDeltas(data, frames, baseBins, baseBins, 2 * baseBins);
    if (this.config.meanNorm) subtractRowMeans(data, bins, frames);
    return { shape: [bins, frames], data };
  }

  private emphasised(samples: Float32Array, out: Float32Array): Float32Array {
    const a = this.config.preEmphasis;
    out.set(samples);
    if (a === 0) return out;
    for (let i = samples.length - 1; i > 0; i--) out[i] = samples[i]! - a * samples[i - 1]!;
    return out;
  }

  /** Pre-emphasis, then reflect padding (torch's "reflect": the edge sample is not repeated). */
  private reflectPadded(samples: Float32Array, pad: number): Float64Array {
    const length = samples.length;
    if (this.padded.length < length + 2 * pad) this.padded = new Float64Array(length + 2 * pad);
    const padded = this.padded;
    const a = this.config.preEmphasis;
    padded[pad] = samples[0]!;
    if (a === 0) for (let i = 1; i < length; i++) padded[pad + i] = samples[i]!;
    else for (let i = 1; i < length; i++) padded[pad + i] = samples[i]! - a * samples[i - 1]!;
    for (let j = 1; j <= pad; j++) {
      padded[pad - j] = padded[pad + j]!;
      padded[pad + length - 1 + j] = padded[pad + length - 1 - j]!;
    }
    return padded;
  }
}

function checkedOut(out: Float32Array, length: number): Float32Array {
  if (out.length !== length) throw new RangeError(`output buffer holds ${out.length} values, the features need ${length}`);
  return out;
}

function subtractRowMeans(data: Float32Array, rows: number, columns: number): void {
  for (let r = 0; r < rows; r++) {
    const start = r * columns;
    let sum = 0;
    for (let t = 0; t < columns; t++) sum += data[start + t]!;
    const mean = sum / columns;
    for (let t = 0; t < columns; t++) data[start + t] = data[start + t]! - mean;
  }
}
