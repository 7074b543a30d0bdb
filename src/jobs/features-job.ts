import { JobInterrupted, type JobContext } from '../protocol/job-protocol.js';
import type { JobResult, SkippedFiles } from '../protocol/records.js';
import type { FeaturesInputs } from '../protocol/job-spec.js';
import { skippedReport } from '../protocol/skipped-files.js';
import { writeFileAtomically } from '../util/atomic.js';
import { join } from 'node:path';
import { describeFile } from './artifacts.js';
import { clipPolicy, featuresFor, itemsFor, validationSelectors } from './job-data.js';

/**
 * Compute (or find in the cache) the features of the items a trial's stages read: the
 * training selectors with the training crop and the validation selectors with the centre
 * crop, or (with an `evaluationSet` input) that one evaluation set with the centre crop.
 * Evaluation sets have jobs of their own so that what a sweep evaluates never changes the
 * key of a job that training waits for (src/search/job-data.ts). Later jobs read the
 * features from the cache; this job makes sure it happens once.
 */
export async function featuresJob(context: JobContext, inputs: FeaturesInputs): Promise<JobResult> {
  const { features, data } = inputs;
  const { resultsDir } = context;
  type FeatureSet = { name: string; split: 'train' | 'dev' | 'eval'; stage: 'train' | 'eval'; selectors: string[] };
  const sets: FeatureSet[] =
    'evaluationSet' in inputs
      ? [{ name: inputs.evaluationSet, split: 'eval', stage: 'eval', selectors: [inputs.evaluationSet] }]
      : [
          ...inputs.data.train.map((s) => ({ name: s, split: 'train' as const, stage: 'train' as const, selectors: [s] })),
          ...validationSelectors(inputs.data).map((s) => ({ name: s, split: 'dev' as const, stage: 'eval' as const, selectors: [s] })),
        ];
  const summary: Array<{ set: string; split: string; items: number; shape: number[]; skipped: number }> = [];
  const skippedFiles: SkippedFiles[] = [];
  for (const [index, set] of sets.entries()) {
    // Shards already written stay in the cache; the resumed job computes only the rest.
    if (context.stopRequested()) throw new JobInterrupted();
    const items = await itemsFor(data, set.selectors, set.split, resultsDir);
    const result = await featuresFor(data, items, features, clipPolicy(data, set.stage), resultsDir, (done, total) =>
      context.progress({ stage: 'features', step: done, steps: total, message: `${set.name} ${set.split} (${index + 1}/${sets.length})` }),
    );
    summary.push({ set: set.name, split: set.split, items: result.ids.length, shape: result.itemShape, skipped: items.length - result.ids.length });
    if (result.skipped.length > 0) skippedFiles.push(skippedReport(set.name, set.split, items.length, result.skipped));
  }
  const manifest = join(context.jobDir, 'features.json');
  await writeFileAtomically(manifest, JSON.stringify({ features, sets: summary }, null, 2) + '\n');
  return {
    artifacts: [describeFile(resultsDir, 'manifest', manifest)],
    summary: { sets: summary },
    ...(skippedFiles.length > 0 ? { skippedFiles } : {}),
  };
}
