import { existsSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { DatasetItem } from '../../item.js';
import { objectSchema, seededSplitOptions, type DatasetAdapter } from '../adapter.js';
import type { DatasetContext } from '../context.js';
import { MissingFiles } from '../files.js';
import { manifestLabels, parseLabel, parseSplit } from '../labels.js';
import { seededSplit, splitOptionsOf, type UnsplitItem } from '../split.js';
import { readTable } from '../table.js';

const layout =
  'a manifest (.csv, or .tsv for tab-separated) with a header: path, label, and optional id, domain, split, attack, speaker, codec; other columns go to meta; paths relative to the manifest (root: the manifest file, or a folder holding manifest.csv)';
const known = ['id', 'path', 'label', 'domain', 'split', 'attack', 'speaker', 'codec'] as const;

/**
 * The generic manifest for anything without an adapter (and the embedded corpus's own
 * format). Without a split column, items are split by a seeded label-stratified draw.
 */
export const csvManifest: DatasetAdapter = {
  name: 'csv',
  layout,
  splits: 'the split column (train/dev/eval; training/validation/test accepted); without it a seeded label-stratified split (options.fractions, seed)',
  optionsSchema: objectSchema({ ...seededSplitOptions }),
  async load(ctx: DatasetContext): Promise<DatasetItem[]> {
    return readManifest(ctx, manifestPath(ctx));
  },
};

export function manifestPath(ctx: DatasetContext): string {
  if (!existsSync(ctx.root)) throw ctx.error(`root ${ctx.root} does not exist. Give the manifest file (or a folder holding manifest.csv): ${layout}.`);
  const file = statSync(ctx.root).isDirectory() ? join(ctx.root, 'manifest.csv') : ctx.root;
  ctx.requireFile(file, 'manifest', `Expected ${layout}.`);
  return file;
}

export function readManifest(ctx: DatasetContext, file: string): DatasetItem[] {
  const splitOptions = 'fractions' in ctx.options ? splitOptionsOf(ctx) : undefined;
  const delimiter = extname(file).toLowerCase() === '.tsv' ? '\t' : ',';
  const table = readTable(ctx, file, { delimiter, quoted: true, required: ['path', 'label'] });
  const hasSplit = table.columns.includes('split');
  const missing = new MissingFiles(ctx);
  const base = dirname(file);
  const items: UnsplitItem[] = [];
  const splits = new Map<UnsplitItem, DatasetItem['split']>();
  for (const { values, line } of table.rows) {
    const where = { file, line };
    const relative = values['path'] as string;
    if (relative === '') throw ctx.error('the path column is empty. Give the audio file\'s path (relative to the manifest or absolute).', where);
    const label = parseLabel(ctx, (values['label'] as string).toLowerCase(), manifestLabels, where);
    const path = isAbsolute(relative) ? relative : resolve(base, relative);
    const split = hasSplit ? parseSplit(ctx, values['split'] as string, where) : undefined;
    if (!missing.check(path, where)) continue;
    const item: UnsplitItem = {
      id: values['id'] || relative.replace(/\.[^./\\]+$/, ''),
      path,
      label,
      dataset: ctx.name,
      domain: values['domain'] || ctx.name,
    };
    for (const key of ['attack', 'speaker', 'codec'] as const) {
      const value = values[key];
      if (value !== undefined && value !== '') item[key] = value;
    }
    const meta: Record<string, string> = {};
    for (const column of table.columns) {
      const value = values[column];
      if (!(known as readonly string[]).includes(column) && value !== undefined && value !== '') meta[column] = value;
    }
    if (Object.keys(meta).length > 0) item.meta = meta;
    items.push(item);
    if (split !== undefined) splits.set(item, split);
  }
  missing.settle();
  if (hasSplit) return items.map((item) => ({ ...item, split: splits.get(item) as DatasetItem['split'] }));
  return seededSplit(items, splitOptions ?? splitOptionsOf(ctx), 'csv');
}
