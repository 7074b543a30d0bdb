import { resolve } from 'node:path';
import { closest, distance } from 'fastest-levenshtein';
import type { DatasetItem } from '../item.js';
import { UserError } from '../../util/errors.js';
import type { DatasetAdapter } from './adapter.js';
import { DatasetContext } from './context.js';
import { validateOptions } from './options.js';
import type { DatasetSpec, LoadDatasetOptions } from './spec.js';
import { asvspoof2019La } from './adapters/asvspoof2019-la.js';
import { asvspoof2021Df, asvspoof2021La } from './adapters/asvspoof2021.js';
import { asvspoof5 } from './adapters/asvspoof5.js';
import { fakeOrReal } from './adapters/fake-or-real.js';
import { inTheWild } from './adapters/in-the-wild.js';
import { mlaad } from './adapters/mlaad.js';
import { add2022 } from './adapters/add2022.js';
import { ljspeech } from './adapters/ljspeech.js';
import { librispeech } from './adapters/librispeech.js';
import { vctk } from './adapters/vctk.js';
import { commonvoice } from './adapters/commonvoice.js';
import { csvManifest } from './adapters/csv-manifest.js';
import { synth } from './adapters/synth.js';

const adapters: readonly DatasetAdapter[] = [
  asvspoof2019La,
  asvspoof2021La,
  asvspoof2021Df,
  asvspoof5,
  fakeOrReal,
  inTheWild,
  mlaad,
  add2022,
  ljspeech,
  librispeech,
  vctk,
  commonvoice,
  csvManifest,
  synth,
];

export function adapterNames(): string[] {
  return adapters.map((adapter) => adapter.name);
}

export function listAdapters(): readonly DatasetAdapter[] {
  return adapters;
}

export function getAdapter(name: string, datasetName = name): DatasetAdapter {
  const adapter = adapters.find((a) => a.name === name);
  if (adapter !== undefined) return adapter;
  const suggestion = closest(name, adapterNames());
  const hint = distance(name, suggestion) <= 3 ? ` Did you mean "${suggestion}"?` : '';
  throw new UserError(`dataset "${datasetName}": unknown adapter "${name}".${hint} Known adapters: ${adapterNames().join(', ')}.`);
}

/**
 * Read one dataset named in a sweep: validate its options, read its layout, and return
 * every item with path, label, split and domain. Problems are UserErrors naming the
 * dataset, the file and the line.
 */
export async function loadDataset(spec: DatasetSpec, options: LoadDatasetOptions = {}): Promise<DatasetItem[]> {
  const adapter = getAdapter(spec.adapter, spec.name);
  const validated = validateOptions(adapter, spec.name, spec.options);
  if ((spec.root === undefined || spec.root === '') && adapter.rootOptional !== true) {
    throw new UserError(`dataset "${spec.name}" (${adapter.name}): no root given. Set datasets.${spec.name}.root to the dataset's folder: ${adapter.layout}.`);
  }
  const root = spec.root === undefined || spec.root === '' ? '' : resolve(spec.root);
  const warn = options.warn ?? ((message: string) => process.stderr.write(`ablate: note: ${message}\n`));
  const ctx = new DatasetContext(spec.name, adapter.name, root, validated, resolve(options.resultsDir ?? 'results'), warn);
  const items = await adapter.load(ctx);
  if (items.length === 0) throw ctx.error(`found no items under ${root || '(default location)'}. Expected ${adapter.layout}.`);
  const domain = validated['domain'];
  if (typeof domain === 'string') for (const item of items) item.domain = domain;
  rejectDuplicateIds(ctx, items);
  return items;
}

/** Read several datasets (a sweep's `datasets`), each by its own adapter. */
export async function loadDatasets(specs: readonly DatasetSpec[], options: LoadDatasetOptions = {}): Promise<Map<string, DatasetItem[]>> {
  const loaded = new Map<string, DatasetItem[]>();
  for (const spec of specs) {
    if (loaded.has(spec.name)) throw new UserError(`dataset "${spec.name}" is named twice; give each dataset its own name.`);
    loaded.set(spec.name, await loadDataset(spec, options));
  }
  return loaded;
}

function rejectDuplicateIds(ctx: DatasetContext, items: readonly DatasetItem[]): void {
  const seen = new Map<string, DatasetItem>();
  for (const item of items) {
    const other = seen.get(item.id);
    if (other !== undefined) {
      throw ctx.error(`item id "${item.id}" appears twice (${other.path} and ${item.path}). Ids must be unique within a dataset; remove the duplicate line.`);
    }
    seen.set(item.id, item);
  }
}
