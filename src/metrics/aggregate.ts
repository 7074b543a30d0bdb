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
  /**
   * Item identities (unique across datasets, e.g. dataset + id). Given for every member of
   * a group, pooling counts an item that two sets share once: two sets with the same bona
   * fide clips must not weigh those clips twice.
   */
  ids?: readonly string[];
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
  /** Named groups (`options.groups`): each the mean and the pooled metrics of its datasets. */
  groups?: Record<string, GroupAggregate>;
}

function namedGroups(
  perDataset: DatasetScores[],
  groups: Record<string, readonly string[]>,
  group: (members: DatasetScores[]) => GroupAggregate | null,
): Record<string, GroupAggregate> {
  const out: Record<string, GroupAggregate> = {};
  for (const [name, members] of Object.entries(groups)) {
    const chosen = members.map((m) => {
      const found = perDataset.find((d) => d.name === m);
      if (!found) throw new UserError(`evaluation group "${name}" names "${m}", which is not one of the datasets given (${perDataset.map((d) => d.name).join(', ')}).`);
      return found;
    });
    const aggregate = group(chosen);
    if (aggregate) out[name] = aggregate;
  }
  return out;
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
export function aggregateKnownUnknown(
  perDataset: DatasetScores[],
  options: { threshold?: number; groups?: Record<string, readonly string[]> } = {},
): KnownUnknownAggregate {
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
    ...(options.groups ? { groups: namedGroups(perDataset, options.groups, group) } : {}),
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
  const dedupe = members.every((d) => d.ids !== undefined);
  const seen = new Set<string>();
  const scores: number[] = [];
  const labels: number[] = [];
  for (const d of members) {
    for (let i = 0; i < d.scores.length; i++) {
      if (dedupe) {
        const id = d.ids?.[i] as string;
        if (seen.has(id)) continue;
        seen.add(id);
      }
      scores.push(d.scores[i] as number);
      labels.push(d.labels[i] ? 1 : 0);
    }
  }
  return detectionMetrics(Float64Array.from(scores), Uint8Array.from(labels), { what: `pooled ${members.map((d) => d.name).join(' + ')}` });
}
