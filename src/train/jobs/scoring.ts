import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { aggregateKnownUnknown, detectionMetrics, eerAndAuc, ratesAtThreshold, writeAsvspoof5Scores } from '../../metrics/index.js';
import type { ArtifactRecord, DatasetScore, GateWeightRecord } from '../../store/index.js';
import { describeFile } from './artifacts.js';
import type { EvaluationSet } from './job-data.js';

/** What a model (single, ensemble, mixture) produces on a set of items. */
export interface SetScores {
  scores: Float32Array;
  labels: Uint8Array;
  ids: string[];
  /** Mixtures: mean gate weight and selection fraction per expert. */
  gate?: { labels: string[]; meanWeight: number[]; selectedFraction: number[] | null };
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
): Promise<{ scores: DatasetScore[]; gateWeights: GateWeightRecord[]; artifacts: ArtifactRecord[] }> {
  const scores: DatasetScore[] = [];
  const gateWeights: GateWeightRecord[] = [];
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
    const file = join(scoreDir, `${set.name.replace(/[^A-Za-z0-9_.-]+/g, '_')}.tsv`);
    await writeAsvspoof5Scores(file, result.ids.map((id, i) => ({ id, score: result.scores[i] as number })));
    artifacts.push(describeFile(resultsDir, `scores/${set.name}`, file));
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
  return { scores, gateWeights, artifacts };
}
