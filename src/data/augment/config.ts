import { Rng } from '../../util/rng.js';

/** RawBoost algorithm: 0 off, 1 LnL, 2 ISD, 3 SSI, 4 = 1+2+3, 5 = 1+2, 6 = 1+3, 7 = 2+3 (series), 8 = 1 and 2 in parallel. */
export type RawBoostAlgorithm = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export interface NoiseConfig {
  /** [min, max] signal-to-noise ratio in dB; each application draws uniformly in it. */
  snrDb: [number, number];
  /** Chance that an item gets noise at all (default 1). */
  probability?: number;
}

export interface SpecAugmentConfig {
  /** Number of frequency masks and the widest one (in bins). */
  freqMasks: number;
  freqWidth: number;
  /** Number of time masks and the widest one (in frames). */
  timeMasks: number;
  timeWidth: number;
}

/** Training-data augmentation, exactly the shape of the sweep's `data.augmentation`. */
export interface AugmentConfig {
  rawboost?: number;
  noise?: NoiseConfig;
  specAugment?: SpecAugmentConfig;
  /**
   * Cache augmented features: one fixed augmentation per item instead of a fresh one every
   * epoch. Off by default, because augmentation exists to show the model new variants.
   */
  cache?: boolean;
}

export function hasWaveformAugmentation(config: AugmentConfig): boolean {
  return (config.rawboost ?? 0) !== 0 || (config.noise !== undefined && (config.noise.probability ?? 1) > 0);
}

export function hasAugmentation(config: AugmentConfig): boolean {
  return hasWaveformAugmentation(config) || (config.specAugment !== undefined && (config.specAugment.freqMasks > 0 || config.specAugment.timeMasks > 0));
}

/**
 * Whether an item's (augmented) features may be cached: always without augmentation,
 * and with augmentation only when the sweep says `cache: true`.
 */
export function isAugmentationCacheable(config: AugmentConfig): boolean {
  return !hasAugmentation(config) || config.cache === true;
}

/**
 * The random stream for augmenting one item in one epoch. Each epoch draws anew unless
 * the augmentation is cached, in which case every epoch sees epoch 0's variant (which is
 * what makes the cache valid). Depends only on the seed, the item and the epoch, so a
 * resumed run augments exactly as an uninterrupted one.
 */
export function augmentationRng(config: AugmentConfig, seed: number, itemId: string, epoch: number): Rng {
  return Rng.fromLabels('augment', seed, itemId, config.cache === true ? 0 : epoch);
}
