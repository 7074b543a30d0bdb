export type { AugmentConfig, NoiseConfig, RawBoostAlgorithm, SpecAugmentConfig } from './config.js';
export { augmentationRng, hasAugmentation, hasWaveformAugmentation, isAugmentationCacheable } from './config.js';
export { rawboost, rawBoostDefaults, type RawBoostParameters } from './rawboost.js';
export { addNoise, addNoiseWithSnr } from './noise.js';
export { specAugment, specAugmentMasks, type Mask } from './spec-augment.js';
export { augmentWaveform } from './waveform.js';
export { firwin } from './firwin.js';
