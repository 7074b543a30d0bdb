import type { Rng } from '../../../util/rng.js';
import { istft, magnitudes, stft } from '../stft.js';
import type { FamilyInput, SpoofFamily } from './family.js';

/**
 * A vocoder that predicts magnitudes only and recovers phase by a few Griffin-Lim
 * iterations from random phase (early neural TTS, e.g. Tacotron 1). The phase never
 * becomes consistent across overlapping frames: harmonics lose their pulse-synchronous
 * structure and a "phasey", smeared texture fills the spectrogram between them.
 */
export const phaseReconstruction: SpoofFamily = {
  name: 'phase-reconstruction',
  artefact: 'Griffin-Lim phase from random initial phase (few iterations): smeared harmonics, phasiness, no pulse-synchronous structure',
  evidence: { statistic: 'highBandPeriodicity', spoof: 'lower' },
  synthesize({ render, rng }: FamilyInput): Float64Array {
    return griffinLimPhase(render(), rng);
  },
};

/** Keep the magnitudes of `natural`, rebuild its phase by 2-6 Griffin-Lim iterations from random phase. */
export function griffinLimPhase(natural: Float64Array, rng: Rng): Float64Array {
  return griffinLim(natural, rng.intBetween(2, 6), rng);
}

/** The magnitudes of `natural` with a phase rebuilt by `iterations` Griffin-Lim steps from random phase drawn from `rng`. */
export function griffinLim(natural: Float64Array, iterations: number, rng: Rng): Float64Array {
  // Long frames (64 ms, 16 ms hop) as in Tacotron-style vocoders: the inconsistency
  // between overlapping frames then smears onsets and harmonics audibly.
  const nFft = 1024;
  const hop = 256;
  const target = stft(natural, nFft, hop);
  const magnitude = magnitudes(target);
  const spec = { ...target, re: new Float64Array(magnitude.length), im: new Float64Array(magnitude.length) };
  for (let i = 0; i < magnitude.length; i++) {
    const angle = 2 * Math.PI * rng.uniform();
    spec.re[i] = (magnitude[i] as number) * Math.cos(angle);
    spec.im[i] = (magnitude[i] as number) * Math.sin(angle);
  }
  let signal = istft(spec);
  for (let k = 0; k < iterations; k++) {
    const estimate = stft(signal, nFft, hop);
    for (let i = 0; i < magnitude.length; i++) {
      const re = estimate.re[i] as number;
      const im = estimate.im[i] as number;
      const norm = Math.hypot(re, im);
      const m = magnitude[i] as number;
      spec.re[i] = norm > 1e-12 ? (m * re) / norm : m;
      spec.im[i] = norm > 1e-12 ? (m * im) / norm : 0;
    }
    signal = istft(spec);
  }
  return signal;
}
