/** Feature extraction (torchaudio-exact): the public API. */
export { computeFeatures, featureExtractor, featureShape } from './compute.js';
export { resolveFeatureConfig, type ResolvedFeatureConfig } from './config.js';
export { FeatureExtractor, type FeatureMatrix } from './extractor.js';
export { parseFeatureConfig } from './parse-config.js';
