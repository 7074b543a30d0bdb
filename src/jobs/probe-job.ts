import { writeFileAtomically } from '../util/atomic.js';
import { join } from 'node:path';
import { JobInterrupted, type JobContext } from '../protocol/job-protocol.js';
import type { JobResult, SkippedFiles } from '../protocol/records.js';
import type { ProbeInputs } from '../protocol/job-spec.js';
import type { DatasetItem } from '../data/item.js';
import { loadResampled, isAudioFileError } from '../data/audio/index.js';
import { skippedReport } from '../protocol/skipped-files.js';
import { probeFeatureNames, probeFeatures } from '../train/probe/features.js';
import { fitLogistic, logisticScore } from '../train/probe/logistic.js';
import { describeFile } from './artifacts.js';
import { evaluationSets, itemsFor, validationSelectors } from './job-data.js';
import { summariseEvaluation, validationThreshold, type SetScores } from './scoring.js';
import { DEFAULT_SAMPLE_RATE } from '../config/schema/data.js';

interface ProbeRows {
  features: number[][];
  labels: Uint8Array;
  ids: string[];
}

/**
 * The shortcut probe (a `probe` trial's only job): logistic regression on trivial
 * features of the whole files (src/train/probe/features.ts), fitted on the trial's
 * training selectors, thresholded on its validation data and scored on its evaluation
 * sets exactly as a detector is, so its metrics sit beside every model's. No TensorFlow.js:
 * whatever trainer a sweep names, ablate runs the probe itself.
 */
export async function probeJob(context: JobContext, inputs: ProbeInputs): Promise<JobResult> {
  const { data } = inputs;
  const { resultsDir } = context;
  const sampleRate = data.sampleRate ?? DEFAULT_SAMPLE_RATE;
  const skippedFiles: SkippedFiles[] = [];
  const rowsOf = async (name: string, selectors: readonly string[], split: 'train' | 'dev' | 'eval'): Promise<ProbeRows> => {
    const items = await itemsFor(data, selectors, split, resultsDir);
    const features: number[][] = [];
    const kept: DatasetItem[] = [];
    const skipped: Array<{ id: string; path: string; reason: string }> = [];
    for (const [index, item] of items.entries()) {
      if (context.stopRequested()) throw new JobInterrupted();
      if (index % 50 === 0) context.progress({ stage: 'probe', step: index, steps: items.length, message: `${name} ${split}` });
      try {
        features.push(probeFeatures(await loadResampled(item.path, sampleRate), sampleRate));
        kept.push(item);
      } catch (error) {
        if (!isAudioFileError(error) || data.datasets[item.dataset]?.onBadFile !== 'skip') throw error;
        skipped.push({ id: item.id, path: item.path, reason: error.problem });
      }
    }
    if (skipped.length > 0) skippedFiles.push(skippedReport(name, split, items.length, skipped));
    return { features, labels: Uint8Array.from(kept, (item) => (item.label === 'bonafide' ? 1 : 0)), ids: kept.map((item) => item.id) };
  };
  const train = await rowsOf(data.train.join('+'), data.train, 'train');
  const model = fitLogistic(train.features, train.labels);
  const scored = (rows: ProbeRows): SetScores => ({
    scores: Float32Array.from(rows.features, (f) => logisticScore(model, f)),
    labels: rows.labels,
    ids: rows.ids,
  });
  const threshold = validationThreshold(scored(await rowsOf('validation', validationSelectors(data), 'dev')));
  const sets = [];
  for (const set of evaluationSets(data)) sets.push({ set, result: scored(await rowsOf(set.name, [set.name], 'eval')) });
  const summary = await summariseEvaluation(sets, threshold, context.jobDir, resultsDir);
  // The fitted model, in the features' own units' standardisation, for whoever wants to read it.
  const modelFile = join(context.jobDir, 'probe.json');
  await writeFileAtomically(modelFile, JSON.stringify({ features: probeFeatureNames, ...model, threshold }, null, 2) + '\n');
  return {
    ...summary,
    artifacts: [...summary.artifacts, describeFile(resultsDir, 'probe', modelFile)],
    summary: { target: 'probe', threshold, sets: sets.length, features: [...probeFeatureNames], weights: model.weights, trainItems: train.ids.length },
    ...(skippedFiles.length > 0 ? { skippedFiles } : {}),
  };
}
