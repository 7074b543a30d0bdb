import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { aggregateKnownUnknown, detectionMetrics, eerAndAuc, ratesAtThreshold, writeAsvspoof5Scores } from '../../metrics/index.js';
import type { ArtifactRecord, DatasetScore, ExpertMetricRecord, GateWeightRecord } from '../../store/index.js';
import { writeItemMatrix } from '../../metrics/files/item-matrix.js';
import { describeFile } from './artifacts.js';
import type { EvaluationSet } from './job-data.js';

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
  sets: Array<{ set: EvaluationSet; result: SetScores }>,
  threshold: number,
  jobDir: string,
  resultsDir: string,
): Promise<{ scores: DatasetScore[]; gateWeights: GateWeightRecord[]; expertMetrics: ExpertMetricRecord[]; artifacts: ArtifactRecord[] }> {
  const scores: DatasetScore[] = [];
  const gateWeights: GateWeightRecord[] = [];
  const expertMetrics: ExpertMetricRecord[] = [];
  const artifacts: ArtifactRecord[] = [];
  const scoreDir = join(jobDir, 'scores');
  mkdirSync(scoreDir, { recursive: true });
  for (const { set, result } of sets) {
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
  const aggregate = aggregateKnownUnknown(
    sets.map(({ set, result }) => ({ name: set.name, known: set.group === 'known', scores: result.scores, labels: result.labels })),
    { threshold },
  );
  for (const [name, group] of [['__known__', aggregate.known], ['__unknown__', aggregate.unknown], ['__all__', aggregate.all]] as const) {
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
