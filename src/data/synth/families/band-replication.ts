import { istft, stft } from '../stft.js';
import type { FamilyInput, SpoofFamily } from './family.js';

/**
 * Band-limited resynthesis with spectral band replication (bandwidth extension): the
 * generator models only the band below a cutoff near 4 kHz; above it, noise is shaped to
 * each frame's sub-band energies. The high band keeps its loudness but loses the harmonic
 * structure and the glottal-pulse timing of real speech.
 */
export const bandReplication: SpoofFamily = {
  name: 'band-replication',
  artefact: 'content above ~4 kHz replaced by noise shaped to per-frame sub-band energies: no harmonics or pulse timing in the high band',
  evidence: { statistic: 'highBandPeriodicity', spoof: 'lower' },
  synthesize({ render, rng, sampleRate }: FamilyInput): Float64Array {
    const natural = render();
    const nFft = 512;
    const spec = stft(natural, nFft, 128);
    const binHz = sampleRate / nFft;
    const cutoffBin = Math.round(rng.between(3600, 4400) / binHz);
    const subBands = 4;
    const width = Math.max(1, Math.ceil((spec.bins - cutoffBin) / subBands));
    for (let f = 0; f < spec.frames; f++) {
      for (let start = cutoffBin; start < spec.bins; start += width) {
        const end = Math.min(spec.bins, start + width);
        let energy = 0;
        for (let k = start; k < end; k++) energy += (spec.re[f * spec.bins + k] as number) ** 2 + (spec.im[f * spec.bins + k] as number) ** 2;
        const magnitude = Math.sqrt(energy / (end - start));
        for (let k = start; k < end; k++) {
          const angle = 2 * Math.PI * rng.uniform();
          spec.re[f * spec.bins + k] = magnitude * Math.cos(angle);
          spec.im[f * spec.bins + k] = magnitude * Math.sin(angle);
        }
      }
    }
    return istft(spec);
  },
};
