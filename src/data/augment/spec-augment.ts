import type { Rng } from '../../util/rng.js';
import type { SpecAugmentConfig } from './config.js';

export interface Mask {
  axis: 'freq' | 'time';
  start: number;
  /** Number of masked bins or frames (0 to the configured width). */
  width: number;
}

/**
 * SpecAugment's masks (Park et al. 2019) for a [bins, frames] feature matrix: each mask's
 * width is uniform in [0, width] and its start uniform over the positions where it fits.
 */
export function specAugmentMasks(shape: readonly [number, number], config: SpecAugmentConfig, rng: Rng): Mask[] {
  const [bins, frames] = shape;
  const masks: Mask[] = [];
  const draw = (axis: 'freq' | 'time', count: number, maxWidth: number, size: number): void => {
    for (let i = 0; i < count; i++) {
      const width = rng.intBetween(0, Math.min(maxWidth, size));
      masks.push({ axis, start: rng.intBetween(0, size - width), width });
    }
  };
  draw('freq', config.freqMasks, config.freqWidth, bins);
  draw('time', config.timeMasks, config.timeWidth, frames);
  return masks;
}

/**
 * Masked copy of a row-major [bins, frames] matrix (index bin * frames + frame). Masked
 * cells become 0, torchaudio's default mask value, which is also the mean of features
 * normalised per bin. The input (possibly a cached array) is never changed.
 */
export function specAugment(data: Float32Array, shape: readonly [number, number], config: SpecAugmentConfig, rng: Rng): Float32Array {
  const [bins, frames] = shape;
  if (data.length !== bins * frames) throw new RangeError(`specAugment: data has ${data.length} values, shape [${bins}, ${frames}] needs ${bins * frames}`);
  const out = Float32Array.from(data);
  for (const mask of specAugmentMasks(shape, config, rng)) {
    if (mask.axis === 'freq') {
      out.fill(0, mask.start * frames, (mask.start + mask.width) * frames);
    } else {
      for (let bin = 0; bin < bins; bin++) out.fill(0, bin * frames + mask.start, bin * frames + mask.start + mask.width);
    }
  }
  return out;
}
