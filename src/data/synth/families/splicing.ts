import type { FamilyInput, SpoofFamily } from './family.js';

/**
 * Unit-selection (concatenative) synthesis: the utterance is stitched from units recorded
 * with slightly different pitch, vocal-tract length and level, joined without smoothing
 * inside voiced segments. Each join is a pitch jump, a formant jump and a waveform
 * discontinuity.
 */
export const splicing: SpoofFamily = {
  name: 'splicing',
  artefact: 'concatenation of 4-6 units with different pitch/formant/level tuning, hard joins inside vowels: pitch and spectral discontinuities',
  evidence: { statistic: 'pitchJumps', spoof: 'higher' },
  synthesize({ plan, render, rng, sampleRate }: FamilyInput): Float64Array {
    const voiced = plan.segments.filter((s) => s.kind === 'vowel' && s.end - s.start > 0.05);
    const wanted = Math.min(voiced.length, rng.intBetween(3, 5));
    // Joins at the middle of randomly chosen vowels, in time order.
    const chosen = rng.shuffle([...voiced]).slice(0, wanted).sort((a, b) => a.start - b.start);
    const joins = chosen.map((s) => Math.round(((s.start + s.end) / 2) * sampleRate));
    let out: Float64Array | undefined;
    let from = 0;
    for (let unit = 0; unit <= joins.length; unit++) {
      const sign = unit % 2 === 0 ? 1 : -1;
      const rendering = render(
        {
          f0OffsetSt: unit === 0 ? 0 : sign * rng.between(2, 3.5),
          formantScale: unit === 0 ? 1 : 1 + sign * rng.between(0.03, 0.07),
          gain: unit === 0 ? 1 : 10 ** ((sign * rng.between(1, 3)) / 20),
        },
        sampleRate,
        rng.fork(`unit-${unit}`),
      );
      out ??= new Float64Array(rendering.length);
      const to = unit < joins.length ? (joins[unit] as number) : rendering.length;
      out.set(rendering.subarray(from, to), from);
      from = to;
    }
    return out ?? render();
  },
};
