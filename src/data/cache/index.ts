/** The feature cache: content-addressed binary shards of per-item features. */
export { loadFeatureSet, featureShards, type FeatureSet, type FeatureSetRequest, type FeatureSetProgress, type FeatureShardResult, type SkippedItem, type CacheItem } from './feature-set.js';
export { featureCacheDir } from './cache-dir.js';
export { FEATURE_CODE_VERSION } from './shard-plan.js';
