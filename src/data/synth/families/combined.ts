import { griffinLimPhase } from './phase-reconstruction.js';
import { muLawResidue } from './noise-residue.js';
import { oversmoothedStyle } from './oversmoothed.js';
import { upsampleLinear } from './upsampling.js';
import type { FamilyInput, SpoofFamily } from './family.js';

/**
 * Unknown families of corpus v2 that chain two known generators' processing, so each of
 * their spoofs carries two artefact classes that the known domains teach one at a time.
 * A detector that learned the artefacts (not the known domains' channels) can transfer;
 * `evidence` names the stronger of the two statistics, `combines` both families (docs/CORPUS.md).
 */
export interface CombinedFamily extends SpoofFamily {
  combines: readonly string[];
}

/**
 * A categorical sample-level generator (5-7 bit mu-law output, d4) whose output is then
 * re-vocoded from magnitudes with Griffin-Lim phase (d1). The other order fails as a
 * combination: the quantisation noise follows the glottal pulses and restores the high
 * band's pulse periodicity that the random phase removed.
 */
export const residuePhase: CombinedFamily = {
  name: 'residue-phase',
  artefact: 'mu-law quantised to 5-7 bits (as d4), then magnitudes re-phased by 2-6 Griffin-Lim iterations from random phase (as d1): a speech-following noise floor plus smeared harmonics',
  evidence: { statistic: 'highBandRatio', spoof: 'higher' },
  combines: ['noise-residue', 'phase-reconstruction'],
  synthesize({ render, rng }: FamilyInput): Float64Array {
    return griffinLimPhase(muLawResidue(render(), rng.fork('residue')), rng.fork('phase'));
  },
};

/** A statistical-parametric voice (d2) generated at half the rate and upsampled x2 by linear interpolation (d3). */
export const smoothedImages: CombinedFamily = {
  name: 'smoothed-images',
  artefact: 'over-smoothed parametric speech (as d2) rendered at half rate and upsampled x2 (as d3): broad formants, regular pitch and mirror images above fs/4',
  evidence: { statistic: 'mirrorCorrelation', spoof: 'higher' },
  combines: ['oversmoothed-parametric', 'upsampling-images'],
  synthesize({ render, rng, sampleRate }: FamilyInput): Float64Array {
    return upsampleLinear(render(oversmoothedStyle(rng.fork('style')), sampleRate / 2));
  },
};

