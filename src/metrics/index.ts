/**
 * Detection metrics for speech deepfake detection. Conventions: bona fide is the positive class,
 * a higher score means more bona fide, rates are fractions in [0, 1], and NaN/infinite scores
 * are refused with a UserError. EER/minDCF/actDCF/Cllr follow the ASVspoof eval packages
 * exactly (formulas and sources in eer.ts, dcf.ts, cllr.ts).
 */
export { detectionMetrics, detectionMetricsOfSorted, eerAndAuc, NAMED_METRICS } from './detection.js';
export type { DetectionMetrics, MetricName, SortedMetric } from './detection.js';
export { sortByClass, mergeSortedClasses } from './score-set.js';
export type { BonafideFlags, SortedScores, MergedOrder } from './score-set.js';
export { equalErrorRateOf } from './eer.js';
export { areaUnderRocOf } from './auc.js';
export { ASVSPOOF5_COSTS, minimumDcfOf, actualDcfOf } from './dcf.js';
export type { DetectionCosts } from './dcf.js';
export { cllrOf } from './cllr.js';
export { ratesAtThreshold, balancedAccuracy, decide } from './threshold.js';
export type { RatesAtThreshold } from './threshold.js';
export { sourceAveragedBalancedAccuracy } from './source-averaged.js';
export type { SourceAveragedBalancedAccuracy, SourceAccuracy } from './source-averaged.js';
export { aggregateKnownUnknown } from './aggregate.js';
export type { DatasetScores, DatasetResult, GroupAggregate, KnownUnknownAggregate, MeanMetrics } from './aggregate.js';
export { bootstrapInterval } from './bootstrap.js';
export type { BootstrapOptions, BootstrapInterval } from './bootstrap.js';
export { pairedBootstrapTest } from './paired.js';
export type { PairedBootstrapResult } from './paired.js';
export { summarizeOverSeeds } from './seeds.js';
export type { SeedSummary } from './seeds.js';
export { quantileSorted } from './quantile.js';
export { readScoreFile } from './files/read-scores.js';
export type { ScoreFile, ScoreFileFormat } from './files/read-scores.js';
export { readKeyFile } from './files/read-keys.js';
export type { KeyFile, KeyFileFormat } from './files/read-keys.js';
export { joinScoresAndKeys, checkScoreable } from './files/join.js';
export type { ScoredTrials } from './files/join.js';
export { writeAsvspoof5Scores, writeAsvspoof5Keys } from './files/write.js';
export type { ScoreRow, KeyRow } from './files/write.js';
