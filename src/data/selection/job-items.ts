import { loadDataset } from '../datasets/index.js';
import type { DatasetItem, Split } from '../item.js';
import { canonicalJson } from '../../util/hash.js';
import { itemColumns } from '../item-columns.js';
import { UserError } from '../../util/errors.js';
import { resolveRoot } from '../../config/dataset-roots.js';
import { parseSelector, selectItems, type Selector } from './selection.js';

/**
 * What reading items needs of a job's `data` input: every kind's data has it (the shapes are
 * the protocol's, src/protocol/job-spec.ts; training jobs' data has no evaluation sets, an
 * evaluation set's feature job's no training sets).
 */
export interface JobData {
  sampleRate?: number;
  clipSeconds?: number;
  /** Training clips shorter than clipSeconds tiled from a random offset (#16; absent: from the start). */
  tileOffset?: 'start' | 'random';
  /** Training features hold windows this long; each draw crops clipSeconds of them afresh (#16). */
  cropPoolSeconds?: number;
  datasets: Record<string, { adapter: string; root?: string; options?: Record<string, unknown>; onBadFile?: 'fail' | 'skip' }>;
  maxItems?: { train?: number; dev?: number; eval?: number };
}

/** The data of a job that trains (or fits the probe): its training and validation sets. */
export interface TrainingSelection extends JobData {
  train: string[];
  validation?: string[];
}

/** The data of a job that scores: its evaluation sets, groups and breakdowns. */
export interface EvaluationSelection extends JobData {
  evaluate: { known: string[]; unknown?: string[]; groups?: Record<string, string[]>; breakdown?: string[] };
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

/**
 * item id -> its breakdown columns (attack, a manifest column...), for one evaluation set of
 * a job's data: what per-attack views (breakdown tables, gating per attack) group items by.
 */
export async function evaluationItemColumns(data: JobData, set: string, columns: readonly string[], resultsDir: string): Promise<Map<string, Record<string, string>>> {
  return itemColumns(await itemsFor(data, [set], 'eval', resultsDir), columns);
}

/** Validation selectors: as given, or the training selectors' dev split. */
export function validationSelectors(data: TrainingSelection): string[] {
  return data.validation && data.validation.length > 0 ? data.validation : data.train;
}

export interface EvaluationSet {
  name: string;
  group: 'known' | 'unknown';
  selector: Selector;
}

/** The sweep's evaluation groups and breakdown columns, as summariseEvaluation takes them. */
export function evaluationOptions(data: EvaluationSelection): { groups?: Record<string, string[]>; breakdown?: string[] } {
  const { groups, breakdown } = data.evaluate;
  return { ...(groups ? { groups } : {}), ...(breakdown ? { breakdown } : {}) };
}

export function evaluationSets(data: EvaluationSelection): EvaluationSet[] {
  return [
    ...data.evaluate.known.map((text) => ({ name: text, group: 'known' as const, selector: parseSelector(text) })),
    ...(data.evaluate.unknown ?? []).map((text) => ({ name: text, group: 'unknown' as const, selector: parseSelector(text) })),
  ];
}

