import FFT from 'fft.js';

/**
 * The trivial features of the shortcut probe: properties of a file that say nothing about
 * how the speech was made, yet often separate a corpus's classes (Müller et al., "Speech is
 * Silver, Silence is Golden: What do ASVspoof-trained Models Really Learn?", ASVspoof 2021
 * workshop, arXiv:2106.12914: the length of leading silence alone reaches 15.1 % EER on
 * ASVspoof 2019 LA). A detector that
 * is not clearly better than a classifier on these has learnt the corpus, not the fakes.
 *
 * Every definition is plain enough to recompute with numpy (tests/fixtures/probe/ holds
 * such a recomputation): the whole file at the data's sample rate, no crop.
 */
export const probeFeatureNames = ['duration', 'rmsDb', 'leadingSilence', 'spectralCentroid'] as const;

/** Frames of the silence detector: 20 ms, not overlapping. */
const silenceFrameSeconds = 0.02;
/** A frame is silent below this much of the loudest frame's energy (-40 dB). */
const silenceRatio = 1e-4;
/** The centroid's STFT: 512-point periodic Hann frames, hop 256, no padding beyond the first frame. */
const centroidFft = 512;
const centroidHop = 256;

export function probeFeatures(samples: Float32Array, sampleRate: number): number[] {
  return [samples.length / sampleRate, rmsDb(samples), leadingSilence(samples, sampleRate), spectralCentroid(samples, sampleRate)];
}

/** Mean power in dB (full scale = 0 dB); the floor keeps digital silence finite. */
function rmsDb(x: Float32Array): number {
  let sum = 0;
  for (const v of x) sum += v * v;
  return 10 * Math.log10(sum / Math.max(1, x.length) + 1e-10);
}

/**
 * Seconds before the first 20 ms frame whose mean power is within 40 dB of the loudest
 * frame (a trailing partial frame counts as a frame); a silent file is silent throughout.
 */
function leadingSilence(x: Float32Array, sampleRate: number): number {
  const frame = Math.max(1, Math.round(silenceFrameSeconds * sampleRate));
  const energies: number[] = [];
  for (let start = 0; start < x.length; start += frame) {
    const end = Math.min(x.length, start + frame);
    let sum = 0;
    for (let i = start; i < end; i++) sum += (x[i] as number) ** 2;
    energies.push(sum / (end - start));
  }
  const loudest = Math.max(0, ...energies);
  if (loudest === 0) return x.length / sampleRate;
  const first = energies.findIndex((e) => e >= loudest * silenceRatio);
  return (first * frame) / sampleRate;
}

const fftPlan = new FFT(centroidFft);
const hann = Float64Array.from({ length: centroidFft }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / centroidFft));

/** The power-weighted mean frequency (Hz) of each frame, averaged over the frames that are not silent. */
function spectralCentroid(x: Float32Array, sampleRate: number): number {
  const input = new Float64Array(centroidFft);
  const spectrum = fftPlan.createComplexArray() as number[];
  const frames = x.length <= centroidFft ? 1 : 1 + Math.floor((x.length - centroidFft) / centroidHop);
  let total = 0;
  let counted = 0;
  for (let f = 0; f < frames; f++) {
    const start = f * centroidHop;
    input.fill(0);
    for (let n = 0; n < centroidFft && start + n < x.length; n++) input[n] = (x[start + n] as number) * (hann[n] as number);
    fftPlan.realTransform(spectrum, input);
    fftPlan.completeSpectrum(spectrum);
    let power = 0;
    let weighted = 0;
    for (let k = 0; k <= centroidFft / 2; k++) {
      const p = (spectrum[2 * k] as number) ** 2 + (spectrum[2 * k + 1] as number) ** 2;
      power += p;
      weighted += p * ((k * sampleRate) / centroidFft);
    }
    if (power > 0) {
      total += weighted / power;
      counted++;
    }
  }
  return counted === 0 ? 0 : total / counted;
}
