import { Rng, deriveSeed } from '../../util/rng.js';
import type { ClipPolicy } from '../item.js';

/** Samples in one clip under `clip` (clipSeconds at sampleRate, rounded). */
export function clipLength(clip: Pick<ClipPolicy, 'sampleRate' | 'clipSeconds'>): number {
  return Math.max(1, Math.round(clip.clipSeconds * clip.sampleRate));
}

/**
 * The random stream that places an item's training crop: a pure function of the clip
 * seed and the item, so the crop is the same in every run and can be cached. (The cost:
 * every epoch sees the same window of a long file; waveform augmentation can crop again.)
 */
export function cropRng(clip: Pick<ClipPolicy, 'seed'>, itemKey: string): Rng {
  return new Rng(deriveSeed('crop', clip.seed, itemKey));
}

/**
 * A fixed-length copy of `samples`: a window when longer (random start from `rng`, or the
 * centre), or the signal repeated end to end when shorter (tiling, as the authors'
 * front end does, so short clips are not padded with silence a detector could learn),
 * from the start or, with `randomTileOffset`, from an offset drawn from `rng` (so the
 * clip does not always begin at the file's onset, a position a detector could learn too).
 */
export function fitClip(samples: Float32Array, clipSamples: number, crop: 'random' | 'center', rng?: Rng, randomTileOffset = false): Float32Array {
  if (!Number.isInteger(clipSamples) || clipSamples < 1) throw new RangeError(`clipSamples must be a positive integer, got ${clipSamples}`);
  if (samples.length === 0) throw new RangeError('cannot fit an empty signal to a clip');
  if (samples.length >= clipSamples) {
    const slack = samples.length - clipSamples;
    let start: number;
    if (crop === 'center') start = Math.floor(slack / 2);
    else {
      if (rng === undefined) throw new TypeError("fitClip: crop 'random' needs an rng (see cropRng)");
      start = rng.int(slack + 1);
    }
    return samples.slice(start, start + clipSamples);
  }
  const clip = new Float32Array(clipSamples);
  if (randomTileOffset) {
    if (rng === undefined) throw new TypeError('fitClip: a random tile offset needs an rng (see cropRng)');
    const offset = rng.int(samples.length);
    for (let i = 0; i < clipSamples; i++) clip[i] = samples[(offset + i) % samples.length] as number;
    return clip;
  }
  for (let filled = 0; filled < clipSamples; filled += samples.length) {
    clip.set(samples.subarray(0, Math.min(samples.length, clipSamples - filled)), filled);
  }
  return clip;
}
