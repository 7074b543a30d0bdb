import { featureCacheDir, loadFeatureSet, type SkippedItem } from '../data/cache/index.js';
import { AudioFileError, isAudioFileError } from '../data/audio/audio-error.js';
import type { ClipPolicy, DatasetItem } from '../data/item.js';
import type { FeatureConfig } from '../config/schema/index.js';
import type { JobData } from '../data/selection/job-items.js';
import { DEFAULT_CLIP_SECONDS, DEFAULT_SAMPLE_RATE } from '../config/schema/data.js';

// The items side lives apart so that readers of scores (report, trainer job files) need not load the feature code.
export { datasetItems, evaluationOptions, evaluationSets, itemsFor, validationSelectors, type EvaluationSet, type JobData } from '../data/selection/job-items.js';

/** A feature matrix per item with its label (1 = bona fide), ready for training or scoring. */
export interface LabelledFeatures {
  ids: string[];
  itemShape: number[];
  x: Float32Array;
  labels: Uint8Array;
  items: DatasetItem[];
  /** Files left out under `onBadFile: "skip"` (in the items' order). */
  skipped: SkippedItem[];
}

/**
 * Clip policies. Training takes one seeded random window per item, fixed across epochs
 * and trial seeds so the features are computed once for the whole sweep (the trial seed
 * still drives initialisation, batches and dropout); evaluation takes the centre window.
 */
export function clipPolicy(data: JobData, stage: 'train' | 'eval'): ClipPolicy {
  // Per-draw crops (cropPoolSeconds): training features hold the longer window the draws are cut from.
  const clipSeconds = stage === 'train' && data.cropPoolSeconds !== undefined ? data.cropPoolSeconds : (data.clipSeconds ?? DEFAULT_CLIP_SECONDS);
  const policy: ClipPolicy = { sampleRate: data.sampleRate ?? DEFAULT_SAMPLE_RATE, clipSeconds, crop: stage === 'train' ? 'random' : 'center', seed: 0 };
  if (stage === 'train' && data.tileOffset === 'random') policy.tileOffset = 'random';
  return policy;
}

/**
 * Features (from the shared cache) and labels for some items. An unusable audio file
 * stops the job naming it, unless its dataset says `onBadFile: "skip"`: then it is left
 * out and listed in `skipped`, which the features job reports (src/protocol/skipped-files.ts).
 */
export async function featuresFor(
  data: JobData,
  items: readonly DatasetItem[],
  features: FeatureConfig,
  clip: ClipPolicy,
  resultsDir: string,
  onProgress?: (done: number, total: number) => void,
): Promise<LabelledFeatures> {
  let set: Awaited<ReturnType<typeof loadFeatureSet>>;
  try {
    set = await loadFeatureSet({
      items,
      features,
      clip,
      cacheDir: featureCacheDir(resultsDir),
      onBadFile: (item) => (item.dataset !== undefined && data.datasets[item.dataset]?.onBadFile === 'skip' ? 'skip' : 'fail'),
      ...(onProgress ? { onProgress: (p: { done: number; total: number }) => onProgress(p.done, p.total) } : {}),
    });
  } catch (error) {
    if (!isAudioFileError(error)) throw error;
    const dataset = items.find((item) => item.path === error.path)?.dataset;
    if (dataset === undefined) throw error;
    // Keep the problem's own advice; name the option as this sweep spells it.
    const advice = error.message.slice(`${error.path}: ${error.problem}. `.length).replace(/,? or set "onBadFile": "skip" on its dataset in the sweep to leave unusable files out\./, '.');
    throw new AudioFileError(error.path, error.problem, {
      cause: error,
      hint: `${advice} To leave unusable files out instead, set datasets.${dataset}.onBadFile to "skip" in the sweep (they are then listed in the run's output, ablate status and the report).`,
    });
  }
  // The set keeps the items' order, leaving skipped (unreadable) files out; ids may repeat
  // across datasets, so walk both lists instead of looking ids up.
  const kept: DatasetItem[] = [];
  let next = 0;
  for (const item of items) {
    if (set.ids[next] === item.id) {
      kept.push(item);
      next++;
    }
  }
  const labels = Uint8Array.from(kept, (item) => (item.label === 'bonafide' ? 1 : 0));
  // The waveform "feature" is [1, samples]; waveform experts take [samples].
  const itemShape = features.kind === 'waveform' ? [set.shape[1]] : [...set.shape];
  return { ids: set.ids, itemShape, x: set.data, labels, items: kept, skipped: set.skipped };
}
