import type { Rng } from '../../../util/rng.js';
import type { RenderStyle } from '../render.js';
import type { FamilyInput, SpoofFamily } from './family.js';

/**
 * Statistical parametric synthesis (HMM/early DNN TTS): averaged parameter trajectories
 * give flat, over-regular intonation with almost no jitter or shimmer, sluggish formant
 * movements and broadened formant bandwidths (an over-smoothed spectral envelope), and
 * a buzzy excitation with little aspiration.
 */
export const oversmoothed: SpoofFamily = {
  name: 'oversmoothed-parametric',
  artefact: 'over-smoothed spectral envelope (broad formants, sluggish transitions) with too-regular pitch (flat intonation, no jitter/shimmer)',
  evidence: { statistic: 'cepstralPeak', spoof: 'higher' },
  synthesize({ render, rng }: FamilyInput): Float64Array {
    return render(oversmoothedStyle(rng));
  },
};

/** The parametric generator's style: averaged trajectories, broad formants, no jitter. */
export function oversmoothedStyle(rng: Rng): Partial<RenderStyle> {
  return {
    jitterScale: rng.between(0.05, 0.15),
    shimmerScale: rng.between(0.05, 0.2),
    intonationScale: rng.between(0.2, 0.4),
    bandwidthScale: rng.between(1.6, 2.2),
    formantSmoothing: rng.between(2.5, 4),
    aspirationScale: rng.between(0.2, 0.4),
  };
}
