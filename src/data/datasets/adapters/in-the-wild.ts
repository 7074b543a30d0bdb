import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetItem, Label } from '../../item.js';
import { objectSchema, seededSplitOptions, type DatasetAdapter } from '../adapter.js';
import type { DatasetContext } from '../context.js';
import { MissingFiles, stem } from '../files.js';
import { parseLabel } from '../labels.js';
import { seededSplit, splitOptionsOf, type UnsplitItem } from '../split.js';
import { readTable } from '../table.js';

const layout = 'release_in_the_wild/*.wav with release_in_the_wild/meta.csv (columns file,speaker,label; label spoof or bona-fide)';
const labels: Readonly<Record<string, Label>> = { 'bona-fide': 'bonafide', spoof: 'spoof' };

/**
 * In-the-Wild (Müller et al. 2022): no official split; items are split by a seeded,
 * label-stratified draw (the MoE authors used 60/20/20), set by options seed/fractions.
 */
export const inTheWild: DatasetAdapter = {
  name: 'in-the-wild',
  layout,
  splits: 'no official split: seeded label-stratified split, options.fractions (default 60/20/20) and options.seed',
  optionsSchema: objectSchema({ ...seededSplitOptions }),
  async load(ctx: DatasetContext): Promise<DatasetItem[]> {
    const splitOptions = splitOptionsOf(ctx);
    ctx.requireDir(ctx.root, 'root folder', `Expected ${layout}.`);
    const dir = existsSync(join(ctx.root, 'release_in_the_wild')) ? join(ctx.root, 'release_in_the_wild') : ctx.root;
    const metaFile = join(dir, 'meta.csv');
    ctx.requireFile(metaFile, 'metadata file', `Expected ${layout}.`);
    const table = readTable(ctx, metaFile, { delimiter: ',', quoted: true, required: ['file', 'speaker', 'label'] });
    const missing = new MissingFiles(ctx);
    const items: UnsplitItem[] = [];
    for (const { values, line } of table.rows) {
      const where = { file: metaFile, line };
      const label = parseLabel(ctx, values['label'] as string, labels, where);
      const file = values['file'] as string;
      const path = join(dir, file);
      if (!missing.check(path, where)) continue;
      items.push({ id: stem(file), path, label, dataset: ctx.name, domain: ctx.name, speaker: values['speaker'] as string });
    }
    missing.settle();
    return seededSplit(items, splitOptions, 'in-the-wild');
  },
};
