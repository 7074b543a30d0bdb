import type { Rng } from '../../../util/rng.js';
import { peak } from '../dsp.js';
import type { FamilyInput, SpoofFamily } from './family.js';

/**
 * A sample-level autoregressive vocoder with a categorical output (WaveNet, WaveRNN,
 * LPCNet): the waveform is quantised to 2^bits mu-law levels, which leaves a
 * signal-following noise residue that fills the spectral valleys and the weak high band
 * whenever speech is present, and vanishes in silence.
 */
export const noiseResidue: SpoofFamily = {
  name: 'noise-residue',
  artefact: 'mu-law quantisation (5-7 bits) of the waveform: a noise floor that follows the speech envelope and fills valleys and the high band',
  evidence: { statistic: 'highBandRatio', spoof: 'higher' },
  synthesize({ render, rng }: FamilyInput): Float64Array {
    return muLawResidue(render(), rng);
  },
};

/** Quantise `natural` to 2^(5..7) mu-law levels and back: the categorical vocoder's noise residue. */
export function muLawResidue(natural: Float64Array, rng: Rng): Float64Array {
  return muLawQuantise(natural, rng.intBetween(5, 7));
}

/** `natural` through a `bits`-bit mu-law quantiser (mu 255) and back, at 0.95 of full scale. */
export function muLawQuantise(natural: Float64Array, bits: number): Float64Array {
  const levels = 2 ** bits - 1;
  const mu = 255;
  const scale = 0.95 / Math.max(1e-9, peak(natural));
  const logMu = Math.log1p(mu);
  return natural.map((v) => {
    const x = v * scale;
    const encoded = (Math.sign(x) * Math.log1p(mu * Math.abs(x))) / logMu;
    const quantised = Math.round(((encoded + 1) / 2) * levels) / levels;
    const y = quantised * 2 - 1;
    return (Math.sign(y) * ((1 + mu) ** Math.abs(y) - 1)) / mu / scale;
  });
}
