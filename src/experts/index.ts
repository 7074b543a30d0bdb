/** Detector architectures: seeded builders from (spec, input shape, seed) to [embedding, logits]. */
export { buildExpert, experts } from './registry.js';
export type { BuildExpertOptions, BuiltExpert, ExpertBuilder, ExpertBuildOptions } from './registry.js';
export { EXPERT_ARCHS, resolveExpertSpec, scaledChannels } from '../config/expert-spec.js';
export type { ExpertArch, ExpertSpec, ResolvedExpertSpec } from '../config/expert-spec.js';
export { MaxFeatureMap } from './layers/max-feature-map.js';
export { AdaptiveMaxPool2D } from './layers/adaptive-max-pool.js';
export { SeededDropout } from '../nn/seeded-dropout.js';
export { SincConv1D } from './layers/sinc-conv.js';
export { PlainConv2D } from './layers/conv2d.js';
export { maxFeatureMap } from './kernels/max-feature-map.js';
