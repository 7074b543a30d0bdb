import type { Rng } from '../../../util/rng.js';
import { griffinLimPhase } from './phase-reconstruction.js';
import { muLawResidue } from './noise-residue.js';
import { oversmoothedStyle } from './oversmoothed.js';
import { upsampleLinear } from './upsampling.js';
import type { CombinedFamily } from './combined.js';
import type { FamilyInput } from './family.js';

/**
 * Partial spoofs of corpus v3 (proposed in issue 19's investigation, docs/CORPUS.md): v2's
 * combined families d5/d6 put their two artefact classes on every sample and every
 * pre-trained detector scored 0-2 % EER there, so they could not separate designs. Here a
 * contiguous 15-30 % of the clip carries the combined artefacts and the rest is the natural
 * rendering of the same plan (as in partially spoofed utterances, PartialSpoof: Zhang et
 * al., Interspeech 2021). The crop a model sees holds the whole clip, so the artefact is
 * always in view; it is just rarer.
 */
const spanFraction: readonly [number, number] = [0.15, 0.3];

/** `natural` outside a random span of `fraction` of the clip, `spoof` inside, 10 ms crossfades. */
export function spliceSpan(natural: Float64Array, spoof: Float64Array, fraction: number, rng: Rng, sampleRate: number): Float64Array {
  const n = Math.min(natural.length, spoof.length);
  const span = Math.round(fraction * n);
  const start = Math.floor(rng.uniform() * (n - span));
  const fade = Math.max(1, Math.round(0.01 * sampleRate));
  const out = Float64Array.from(natural.subarray(0, n));
  for (let i = 0; i < n; i++) {
    const inside = Math.min(1, Math.max(0, Math.min(i - start, start + span - i) / fade));
    out[i] = (1 - inside) * (natural[i] as number) + inside * (spoof[i] as number);
  }
  return out;
}

function partial(natural: Float64Array, spoof: Float64Array, rng: Rng, sampleRate: number): Float64Array {
  return spliceSpan(natural, spoof, rng.between(spanFraction[0], spanFraction[1]), rng.fork('span'), sampleRate);
}

export const partialResiduePhase: CombinedFamily = {
  name: 'partial-residue-phase',
  artefact: "d5's residue-phase processing (mu-law 5-7 bits, then 2-6 Griffin-Lim iterations) on a contiguous 15-30 % of the clip, natural elsewhere",
  evidence: { statistic: 'highBandRatio', spoof: 'higher' },
  combines: ['noise-residue', 'phase-reconstruction'],
  synthesize({ render, rng, sampleRate }: FamilyInput): Float64Array {
    const natural = render();
    return partial(natural, griffinLimPhase(muLawResidue(natural, rng.fork('residue')), rng.fork('phase')), rng, sampleRate);
  },
};

export const partialSmoothedImages: CombinedFamily = {
  name: 'partial-smoothed-images',
  artefact: "d6's over-smoothed half-rate rendering upsampled x2 on a contiguous 15-30 % of the clip, natural elsewhere",
  evidence: { statistic: 'mirrorCorrelation', spoof: 'higher' },
  combines: ['oversmoothed-parametric', 'upsampling-images'],
  synthesize({ render, rng, sampleRate }: FamilyInput): Float64Array {
    const natural = render();
    return partial(natural, upsampleLinear(render(oversmoothedStyle(rng.fork('style')), sampleRate / 2)), rng, sampleRate);
  },
};
