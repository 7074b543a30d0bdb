import { loadDataset } from '../../data/datasets/index.js';
import { featureCacheDir, loadFeatureSet, type SkippedItem } from '../../data/cache/index.js';
import { AudioFileError, isAudioFileError } from '../../data/audio/audio-error.js';
import type { ClipPolicy, DatasetItem, Split } from '../../data/item.js';
import type { FeatureConfig } from '../../search/schema/index.js';
import { canonicalJson } from '../../util/hash.js';
import { UserError } from '../../util/errors.js';
import { resolveRoot } from './dataset-roots.js';
import { parseSelector, selectItems, type Selector } from './selection.js';

/** The `data` inputs every job carries (the trial's data section without augmentation). */
export interface JobData {
  sampleRate?: number;
  clipSeconds?: number;
  datasets: Record<string, { adapter: string; root?: string; options?: Record<string, unknown>; onBadFile?: 'fail' | 'skip' }>;
  train: string[];
  validation?: string[];
  evaluate: { known: string[]; unknown?: string[] };
  maxItems?: { train?: number; dev?: number; eval?: number };
}

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
  return { sampleRate: data.sampleRate ?? 16000, clipSeconds: data.clipSeconds ?? 3, crop: stage === 'train' ? 'random' : 'center', seed: 0 };
}

const datasetCache = new Map<string, Promise<DatasetItem[]>>();

/** The items of a dataset, read once per worker thread. */
export function datasetItems(data: JobData, name: string, resultsDir: string): Promise<DatasetItem[]> {
  const spec = data.datasets[name];
  if (!spec) {
    throw new UserError(`data selector names dataset "${name}", which data.datasets does not define (defined: ${Object.keys(data.datasets).join(', ')}).`);
  }
  const root = spec.root === undefined ? undefined : resolveRoot(spec.root, name);
  const key = canonicalJson({ name, spec: { ...spec, root }, resultsDir });
  let items = datasetCache.get(key);
  if (!items) {
    items = loadDataset({ name, adapter: spec.adapter, ...(root !== undefined ? { root } : {}), ...(spec.options ? { options: spec.options } : {}) }, { resultsDir });
    datasetCache.set(key, items);
    items.catch(() => datasetCache.delete(key));
  }
  return items;
}

export async function itemsFor(data: JobData, selectors: readonly string[], split: Split, resultsDir: string): Promise<DatasetItem[]> {
  const out: DatasetItem[] = [];
  for (const text of selectors) {
    const selector = parseSelector(text);
    out.push(...selectItems(await datasetItems(data, selector.dataset, resultsDir), selector, split, data.maxItems?.[split]));
  }
  return out;
}

/** Validation selectors: as given, or the training selectors' dev split. */
export function validationSelectors(data: JobData): string[] {
  return data.validation && data.validation.length > 0 ? data.validation : data.train;
}

export interface EvaluationSet {
  name: string;
  group: 'known' | 'unknown';
  selector: Selector;
}

export function evaluationSets(data: JobData): EvaluationSet[] {
  return [
    ...data.evaluate.known.map((text) => ({ name: text, group: 'known' as const, selector: parseSelector(text) })),
    ...(data.evaluate.unknown ?? []).map((text) => ({ name: text, group: 'unknown' as const, selector: parseSelector(text) })),
  ];
}

/**
 * Features (from the shared cache) and labels for some items. An unusable audio file
 * stops the job naming it, unless its dataset says `onBadFile: "skip"`: then it is left
 * out and listed in `skipped`, which the features job reports (src/exec/skipped-files.ts).
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
