/** Detector architectures: seeded builders from (spec, input shape, seed) to [embedding, logits]. */
export { buildExpert, experts } from './registry.js';
export type { BuildExpertOptions, BuiltExpert, ExpertBuilder, ExpertBuildOptions } from './registry.js';
export { EXPERT_ARCHS, resolveExpertSpec, scaledChannels } from './spec.js';
export type { ExpertArch, ExpertSpec, ResolvedExpertSpec } from './spec.js';
export { MaxFeatureMap } from './layers/max_feature_map.js';
export { AdaptiveMaxPool2D } from './layers/adaptive_max_pool.js';
export { SeededDropout } from './layers/seeded_dropout.js';
export { SincConv1D } from './layers/sinc_conv.js';
export { PlainConv2D } from './layers/conv2d.js';
export { maxFeatureMap } from './kernels/max_feature_map.js';
