import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { aggregateKnownUnknown, detectionMetrics, eerAndAuc, ratesAtThreshold, writeAsvspoof5Scores } from '../metrics/index.js';
import type { ArtifactRecord, DatasetScore, ExpertMetricRecord, GateWeightRecord } from '../protocol/records.js';
import { writeItemMatrix } from '../metrics/files/item-matrix.js';
import { breakdownRowName, groupRowName } from '../metrics/score-names.js';
import type { DatasetItem } from '../data/item.js';
import { describeFile } from './artifacts.js';
import { breakdownSubsets } from './breakdown.js';
import type { EvaluationSet } from './job-data.js';

/** What an evaluation summarises beyond its sets: the sweep's `data.evaluate.groups` and `.breakdown`. */
export interface EvaluationOptions {
  groups?: Record<string, string[]>;
  breakdown?: string[];
}

/** A set's items in the order of its scores (for breakdowns and for pooling each item once). */
function alignedItems(result: SetScores, items: readonly DatasetItem[] | undefined): DatasetItem[] | undefined {
  if (items === undefined) return undefined;
  if (items.length === result.ids.length && items.every((item, i) => item.id === result.ids[i])) return [...items];
  const byId = new Map(items.map((item) => [item.id, item]));
  const out = result.ids.map((id) => byId.get(id));
  return out.every((item) => item !== undefined) ? (out as DatasetItem[]) : undefined;
}

/** What a model (single, ensemble, mixture) produces on a set of items. */
export interface SetScores {
  scores: Float32Array;
  labels: Uint8Array;
  ids: string[];
  /**
   * Mixtures: mean gate weight and selection fraction per expert, and the per-item weights
   * (row-major [items, experts], in `ids` order) for the gating analysis by attack and class.
   */
  gate?: { labels: string[]; meanWeight: number[]; selectedFraction: number[] | null; weights?: Float32Array };
  /** Mixtures: each expert's own score per item, row-major [items, experts], in `ids` order. */
  experts?: { labels: string[]; scores: Float32Array };
}

/** The threshold that the evaluation's balanced accuracy uses: the EER threshold on validation data. */
export function validationThreshold(validation: SetScores): number {
  return eerAndAuc(validation.scores, validation.labels).eerThreshold;
}

/**
 * Metrics of each evaluation set, their means over known / unknown / all sets, the ASVspoof 5
 * score files, and the gate weights: everything the store keeps of an evaluation.
 */
export async function summariseEvaluation(
  sets: Array<{ set: EvaluationSet; result: SetScores; items?: readonly DatasetItem[] }>,
  threshold: number,
  jobDir: string,
  resultsDir: string,
  options: EvaluationOptions = {},
): Promise<{ scores: DatasetScore[]; gateWeights: GateWeightRecord[]; expertMetrics: ExpertMetricRecord[]; artifacts: ArtifactRecord[] }> {
  const scores: DatasetScore[] = [];
  const gateWeights: GateWeightRecord[] = [];
  const expertMetrics: ExpertMetricRecord[] = [];
  const artifacts: ArtifactRecord[] = [];
  const scoreDir = join(jobDir, 'scores');
  mkdirSync(scoreDir, { recursive: true });
  const setItems = new Map<string, DatasetItem[] | undefined>();
  for (const { set, result, items } of sets) {
    const aligned = alignedItems(result, items);
    setItems.set(set.name, aligned);
    if (aligned && options.breakdown && options.breakdown.length > 0) {
      for (const subset of breakdownSubsets(aligned, options.breakdown)) {
        const scoresOf = Float32Array.from(subset.indices, (i) => result.scores[i] as number);
        const labelsOf = Uint8Array.from(subset.indices, (i) => result.labels[i] as number);
        const name = breakdownRowName(set.name, subset.column, subset.value);
        const m = detectionMetrics(scoresOf, labelsOf, { what: name });
        const r = ratesAtThreshold(scoresOf, labelsOf, threshold);
        scores.push({
          dataset: name,
          group: 'aggregate',
          metrics: { eer: m.eer, auc: m.auc, minDcf: m.minDcf, actDcf: m.actDcf, cllr: m.cllr, balancedAccuracy: r.balancedAccuracy, tpr: r.tpr, tnr: r.tnr, threshold, nBonafide: m.nBonafide, nSpoof: m.nSpoof },
        });
      }
    }
    const metrics = detectionMetrics(result.scores, result.labels, { what: `evaluation set ${set.name}` });
    const rates = ratesAtThreshold(result.scores, result.labels, threshold);
    scores.push({
      dataset: set.name,
      group: set.group,
      metrics: {
        eer: metrics.eer,
        auc: metrics.auc,
        minDcf: metrics.minDcf,
        actDcf: metrics.actDcf,
        cllr: metrics.cllr,
        balancedAccuracy: rates.balancedAccuracy,
        tpr: rates.tpr,
        tnr: rates.tnr,
        threshold,
        nBonafide: metrics.nBonafide,
        nSpoof: metrics.nSpoof,
      },
    });
    const base = set.name.replace(/[^A-Za-z0-9_.-]+/g, '_');
    const file = join(scoreDir, `${base}.tsv`);
    await writeAsvspoof5Scores(file, result.ids.map((id, i) => ({ id, score: result.scores[i] as number })));
    artifacts.push(describeFile(resultsDir, `scores/${set.name}`, file));
    if (result.gate?.weights) artifacts.push(await itemMatrixArtifact(jobDir, resultsDir, 'gates', set.name, base, result.gate.weights));
    if (result.experts) {
      artifacts.push(await itemMatrixArtifact(jobDir, resultsDir, 'expert-scores', set.name, base, result.experts.scores));
      expertMetrics.push(...expertOwnMetrics(set.name, result.experts, result.labels));
    }
    if (result.gate) {
      result.gate.labels.forEach((label, expert) => {
        gateWeights.push({
          dataset: set.name,
          expert,
          label,
          meanWeight: result.gate?.meanWeight[expert] as number,
          selectedFraction: result.gate?.selectedFraction?.[expert] ?? null,
        });
      });
    }
  }
  // An item is its dataset and id: pooled groups count an item that two sets share once.
  const identities = (set: EvaluationSet, result: SetScores): string[] => {
    const items = setItems.get(set.name);
    return items ? items.map((item) => `${item.dataset}\u0000${item.id}`) : result.ids.map((id) => `${set.selector.dataset}\u0000${id}`);
  };
  const aggregate = aggregateKnownUnknown(
    sets.map(({ set, result }) => ({ name: set.name, known: set.group === 'known', scores: result.scores, labels: result.labels, ids: identities(set, result) })),
    { threshold, ...(options.groups ? { groups: options.groups } : {}) },
  );
  const named = Object.entries(aggregate.groups ?? {}).map(([name, group]) => [groupRowName(name), group] as const);
  for (const [name, group] of [['__known__', aggregate.known], ['__unknown__', aggregate.unknown], ['__all__', aggregate.all], ...named] as const) {
    if (!group) continue;
    scores.push({ dataset: name, group: 'aggregate', metrics: { ...group.mean, pooledEer: group.pooled.eer, pooledAuc: group.pooled.auc } });
  }
  return { scores, gateWeights, expertMetrics, artifacts };
}

/** `<jobDir>/<folder>/<set>.f32` (src/metrics/files/item-matrix.ts), as artifact `<folder>/<set>`. */
async function itemMatrixArtifact(jobDir: string, resultsDir: string, folder: string, set: string, base: string, values: Float32Array): Promise<ArtifactRecord> {
  mkdirSync(join(jobDir, folder), { recursive: true });
  const file = join(jobDir, folder, `${base}.f32`);
  await writeItemMatrix(file, values);
  return describeFile(resultsDir, `${folder}/${set}`, file);
}

/** Each expert's own EER, AUC, minDCF and Cllr on the set, from its column of per-item scores. */
function expertOwnMetrics(set: string, experts: NonNullable<SetScores['experts']>, labels: Uint8Array): ExpertMetricRecord[] {
  const count = labels.length;
  return experts.labels.map((label, expert) => {
    const own = Float32Array.from({ length: count }, (_, i) => experts.scores[i * experts.labels.length + expert] as number);
    const metrics = detectionMetrics(own, labels, { what: `expert ${label} on evaluation set ${set}` });
    return { dataset: set, expert, label, metrics: { eer: metrics.eer, auc: metrics.auc, minDcf: metrics.minDcf, cllr: metrics.cllr } };
  });
}
