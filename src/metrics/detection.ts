import { areaUnderRocOf } from './auc.js';
import { cllrOf } from './cllr.js';
import { ASVSPOOF5_COSTS, actualDcfOf, minimumDcfOf, type DetectionCosts } from './dcf.js';
import { equalErrorRateOf } from './eer.js';
import { mergeSortedClasses, sortByClass, type BonafideFlags, type SortedScores } from './score-set.js';

/** The threshold-free metrics of one score set; rates are fractions in [0, 1]. */
export interface DetectionMetrics {
  eer: number;
  eerThreshold: number;
  auc: number;
  /** Normalised minimum DCF under `costs` (ASVspoof 5 by default). */
  minDcf: number;
  minDcfThreshold: number;
  /** Normalised actual DCF at the Bayes threshold implied by `costs`. */
  actDcf: number;
  actDcfThreshold: number;
  /** Cllr in bits, scores read as natural-log likelihood ratios. */
  cllr: number;
  nBonafide: number;
  nSpoof: number;
}

/**
 * EER (+ threshold), AUC, minDCF, actDCF and Cllr from scores and labels (truthy = bona fide,
 * higher score = more bona fide), with one sort for all of them. Throws a UserError for NaN or
 * infinite scores and when a class is missing.
 */
export function detectionMetrics(
  scores: ArrayLike<number>,
  isBonafide: BonafideFlags,
  options: { costs?: DetectionCosts; what?: string } = {},
): DetectionMetrics {
  return detectionMetricsOfSorted(sortByClass(scores, isBonafide, options.what), options.costs);
}

export function detectionMetricsOfSorted(sorted: SortedScores, costs: DetectionCosts = ASVSPOOF5_COSTS): DetectionMetrics {
  const order = mergeSortedClasses(sorted);
  const { eer, threshold } = equalErrorRateOf(order);
  const min = minimumDcfOf(order, costs);
  const act = actualDcfOf(sorted, costs);
  return {
    eer,
    eerThreshold: threshold,
    auc: areaUnderRocOf(order),
    minDcf: min.dcf,
    minDcfThreshold: min.threshold,
    actDcf: act.dcf,
    actDcfThreshold: act.threshold,
    cllr: cllrOf(sorted),
    nBonafide: sorted.bonafide.length,
    nSpoof: sorted.spoof.length,
  };
}

/** EER, its threshold and AUC only: the cheapest path (one sort, two linear passes). */
export function eerAndAuc(scores: ArrayLike<number>, isBonafide: BonafideFlags): { eer: number; eerThreshold: number; auc: number } {
  const order = mergeSortedClasses(sortByClass(scores, isBonafide));
  const { eer, threshold } = equalErrorRateOf(order);
  return { eer, eerThreshold: threshold, auc: areaUnderRocOf(order) };
}

/** The metrics a bootstrap can resample, by name; each reads classes sorted ascending. */
export type SortedMetric = (sorted: SortedScores) => number;

export const NAMED_METRICS = {
  eer: (sorted: SortedScores) => equalErrorRateOf(mergeSortedClasses(sorted)).eer,
  auc: (sorted: SortedScores) => areaUnderRocOf(mergeSortedClasses(sorted)),
  minDcf: (sorted: SortedScores) => minimumDcfOf(mergeSortedClasses(sorted), ASVSPOOF5_COSTS).dcf,
  actDcf: (sorted: SortedScores) => actualDcfOf(sorted, ASVSPOOF5_COSTS).dcf,
  cllr: (sorted: SortedScores) => cllrOf(sorted),
} satisfies Record<string, SortedMetric>;

export type MetricName = keyof typeof NAMED_METRICS;

export function resolveMetric(metric: MetricName | SortedMetric): SortedMetric {
  return typeof metric === 'function' ? metric : NAMED_METRICS[metric];
}
