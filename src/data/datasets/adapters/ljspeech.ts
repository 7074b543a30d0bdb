import { join } from 'node:path';
import type { DatasetItem } from '../../item.js';
import { objectSchema, seededSplitOptions, type DatasetAdapter } from '../adapter.js';
import type { DatasetContext } from '../context.js';
import { MissingFiles } from '../files.js';
import { seededSplit, splitOptionsOf, type UnsplitItem } from '../split.js';
import { readTable } from '../table.js';

const layout = 'wavs/*.wav with metadata.csv, pipe-separated id|transcript|normalized transcript (root: LJSpeech-1.1/)';

/** LJSpeech: one speaker, bona fide only, no official split (seeded split). */
export const ljspeech: DatasetAdapter = {
  name: 'ljspeech',
  layout,
  splits: 'no official split: seeded split, options.fractions (default 60/20/20) and options.seed',
  optionsSchema: objectSchema({ ...seededSplitOptions }),
  async load(ctx: DatasetContext): Promise<DatasetItem[]> {
    const splitOptions = splitOptionsOf(ctx);
    ctx.requireDir(ctx.root, 'root folder', `Expected ${layout}.`);
    const metadata = join(ctx.root, 'metadata.csv');
    ctx.requireFile(metadata, 'metadata file', `Expected ${layout}.`);
    // Transcripts hold unbalanced quotes, so the file is read without quote handling.
    const table = readTable(ctx, metadata, { delimiter: '|', quoted: false, columns: ['id', 'transcript', 'normalized'] });
    const missing = new MissingFiles(ctx);
    const items: UnsplitItem[] = [];
    for (const { values, line } of table.rows) {
      const id = values['id'] as string;
      const path = join(ctx.root, 'wavs', `${id}.wav`);
      if (!missing.check(path, { file: metadata, line })) continue;
      items.push({ id, path, label: 'bonafide', dataset: ctx.name, domain: ctx.name, speaker: 'LJ' });
    }
    missing.settle();
    return seededSplit(items, splitOptions, 'ljspeech');
  },
};
