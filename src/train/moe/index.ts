export { type ResolvedMixtureConfig, resolveMixtureConfig } from '../../config/mixture-config.js';
export { type InputArray, type MoeBatch, type MultiInputData, countMultiItems, multiBatchOf } from './data.js';
export { type BalancedPlanOptions, balancedMultiBatches, balancedRowPlan } from './batches.js';
export { type MixMode, type MixedOutput, bonafideScoresOf, mixExperts, smoothedNll, uniformWeights } from './mix.js';
export {
  type CachedBatch,
  type ForwardOptions,
  type MixtureBatchScores,
  type MixtureForward,
  type MixtureLossTerms,
  type MixtureMember,
  type MixtureOptions,
  Mixture,
  disposeForward,
} from './mixture.js';
export { type EvaluateOptions, type GateUsage, type MixtureEvaluation, gateUsage } from './evaluate.js';
export { evaluateMixture } from './evaluate-mixture.js';
export { type CacheOptions, type ExpertOutputCache, balancedCachedBatches, cacheExpertOutputs, cachedBatchOf, disposeCachedBatch, evaluateCachedMixture } from './cache.js';
export { type MixtureHyperParams, type TrainGateOnCacheOptions, type TrainMixtureOptions, trainGateOnCache, trainMixture } from './train.js';
export { type CombinationEvaluation, type CombinationOptions, evaluateAverageEnsemble, evaluateGateAblated, evaluateUniformCombination, expertOwnScores } from './combinations.js';
