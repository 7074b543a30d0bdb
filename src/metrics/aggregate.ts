import { detectionMetrics, type DetectionMetrics } from './detection.js';
import type { BonafideFlags } from './score-set.js';
import { ratesAtThreshold, type RatesAtThreshold } from './threshold.js';
import { UserError } from '../util/errors.js';

export interface DatasetScores {
  name: string;
  /** True for datasets seen in training ("known" / in-domain), false for unseen ones. */
  known: boolean;
  scores: ArrayLike<number>;
  /** Truthy = bona fide. */
  labels: BonafideFlags;
}

export interface DatasetResult {
  name: string;
  known: boolean;
  metrics: DetectionMetrics;
  /** Present when a fixed threshold was given. */
  atThreshold?: RatesAtThreshold;
}

/** The averaged metrics (each the unweighted mean of the per-dataset values). */
export interface MeanMetrics {
  eer: number;
  auc: number;
  minDcf: number;
  actDcf: number;
  cllr: number;
  balancedAccuracy?: number;
}

export interface GroupAggregate {
  datasets: string[];
  /** Mean of per-dataset metrics: what the MoE papers' tables report as "avg". */
  mean: MeanMetrics;
  /** Metrics of all the group's trials pooled into one score set (large sets weigh more). */
  pooled: DetectionMetrics;
}

export interface KnownUnknownAggregate {
  perDataset: DatasetResult[];
  known: GroupAggregate | null;
  unknown: GroupAggregate | null;
  all: GroupAggregate;
}

/**
 * Per-dataset metrics and their aggregates over known, unknown and all datasets.
 *
 * The MoE papers (Negroni et al., ICASSP 2025 / WIFS 2025; see reference/SDD.md) report an EER
 * per test set and then averages over in-domain, out-of-domain and all sets; an average of
 * per-dataset values weighs a 1 000-trial set like a 100 000-trial one, which is the point:
 * each domain counts once. That mean is `mean`. `pooled` (one score set of all the group's
 * trials, a single threshold for all) is the other common convention and is also given; it
 * is what a deployed detector with one global threshold would see.
 */
export function aggregateKnownUnknown(perDataset: DatasetScores[], options: { threshold?: number } = {}): KnownUnknownAggregate {
  if (perDataset.length === 0) throw new UserError('aggregateKnownUnknown: no datasets given.');
  const names = new Set<string>();
  for (const d of perDataset) {
    if (names.has(d.name)) throw new UserError(`aggregateKnownUnknown: dataset "${d.name}" appears twice; name each test set once.`);
    names.add(d.name);
  }
  const results: DatasetResult[] = perDataset.map((d) => {
    const result: DatasetResult = { name: d.name, known: d.known, metrics: detectionMetrics(d.scores, d.labels, { what: `dataset "${d.name}"` }) };
    if (options.threshold !== undefined) result.atThreshold = ratesAtThreshold(d.scores, d.labels, options.threshold);
    return result;
  });
  const group = (members: DatasetScores[]): GroupAggregate | null => {
    if (members.length === 0) return null;
    const chosen = results.filter((r) => members.some((m) => m.name === r.name));
    return { datasets: chosen.map((r) => r.name), mean: meanOf(chosen), pooled: pooledMetrics(members) };
  };
  return {
    perDataset: results,
    known: group(perDataset.filter((d) => d.known)),
    unknown: group(perDataset.filter((d) => !d.known)),
    all: group(perDataset) as GroupAggregate,
  };
}

function meanOf(results: DatasetResult[]): MeanMetrics {
  const average = (pick: (r: DatasetResult) => number): number => results.reduce((sum, r) => sum + pick(r), 0) / results.length;
  const mean: MeanMetrics = {
    eer: average((r) => r.metrics.eer),
    auc: average((r) => r.metrics.auc),
    minDcf: average((r) => r.metrics.minDcf),
    actDcf: average((r) => r.metrics.actDcf),
    cllr: average((r) => r.metrics.cllr),
  };
  if (results.every((r) => r.atThreshold)) mean.balancedAccuracy = average((r) => r.atThreshold?.balancedAccuracy ?? 0);
  return mean;
}

function pooledMetrics(members: DatasetScores[]): DetectionMetrics {
  const total = members.reduce((n, d) => n + d.scores.length, 0);
  const scores = new Float64Array(total);
  const labels = new Uint8Array(total);
  let offset = 0;
  for (const d of members) {
    for (let i = 0; i < d.scores.length; i++) {
      scores[offset + i] = d.scores[i] as number;
      labels[offset + i] = d.labels[i] ? 1 : 0;
    }
    offset += d.scores.length;
  }
  return detectionMetrics(scores, labels, { what: `pooled ${members.map((d) => d.name).join(' + ')}` });
}
