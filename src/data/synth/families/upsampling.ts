import type { FamilyInput, SpoofFamily } from './family.js';

/**
 * A generator that works at half the output rate and is upsampled by zero insertion
 * with a short linear-interpolation filter: the band above fs/4 holds no real speech but
 * attenuated mirror images of the band below it.
 */
export const upsamplingImages: SpoofFamily = {
  name: 'upsampling-images',
  artefact: 'rendered at half rate, upsampled x2 with a linear interpolator: mirror images of 0-fs/4 folded into fs/4-fs/2',
  evidence: { statistic: 'mirrorCorrelation', spoof: 'higher' },
  synthesize({ render, sampleRate }: FamilyInput): Float64Array {
    return upsampleLinear(render({}, sampleRate / 2));
  },
};

/** Zero insertion x2 followed by the kernel [0.5, 1, 0.5]: images of the band below fs/4 above it. */
export function upsampleLinear(half: Float64Array): Float64Array {
  const out = new Float64Array(half.length * 2);
  // Zero insertion followed by the kernel [0.5, 1, 0.5] = linear interpolation.
  for (let n = 0; n < half.length; n++) {
    const a = half[n] as number;
    const b = n + 1 < half.length ? (half[n + 1] as number) : 0;
    out[2 * n] = a;
    out[2 * n + 1] = 0.5 * (a + b);
  }
  return out;
}
