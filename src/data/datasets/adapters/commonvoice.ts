import { join } from 'node:path';
import type { DatasetItem, Split } from '../../item.js';
import { objectSchema, splitsOption, type DatasetAdapter } from '../adapter.js';
import type { DatasetContext } from '../context.js';
import { MissingFiles, stem } from '../files.js';
import { selectSplits } from '../split-files.js';
import { readTable } from '../table.js';

const layout = 'clips/*.mp3 with {train,dev,test}.tsv (tab-separated, header client_id, path, sentence, ...) (root: one locale folder, e.g. cv-corpus-17.0/en)';
const metaColumns = ['gender', 'age', 'accents', 'accent', 'locale', 'variant'] as const;

/** Common Voice: bona fide, crowd-sourced; the official train/dev/test TSVs give the split. */
export const commonvoice: DatasetAdapter = {
  name: 'commonvoice',
  layout,
  splits: 'train.tsv -> train, dev.tsv -> dev, test.tsv -> eval (validated.tsv and other.tsv are not read)',
  optionsSchema: objectSchema({ ...splitsOption }),
  async load(ctx: DatasetContext): Promise<DatasetItem[]> {
    ctx.requireDir(ctx.root, 'root folder', `Expected ${layout}.`);
    const clips = join(ctx.root, 'clips');
    ctx.requireDir(clips, 'audio folder', `Expected ${layout}.`);
    const subsets: ReadonlyArray<{ split: Split; file: string; extra: null }> = [
      { split: 'train', file: join(ctx.root, 'train.tsv'), extra: null },
      { split: 'dev', file: join(ctx.root, 'dev.tsv'), extra: null },
      { split: 'eval', file: join(ctx.root, 'test.tsv'), extra: null },
    ];
    const missing = new MissingFiles(ctx);
    const items: DatasetItem[] = [];
    for (const source of selectSplits(ctx, subsets, `Expected ${layout}.`)) {
      // Sentences contain stray quotes; Common Voice TSVs are never quoted.
      const table = readTable(ctx, source.file, { delimiter: '\t', quoted: false, required: ['client_id', 'path'] });
      for (const { values, line } of table.rows) {
        const file = values['path'] as string;
        const path = join(clips, file);
        if (!missing.check(path, { file: source.file, line })) continue;
        const item: DatasetItem = { id: stem(file), path, label: 'bonafide', dataset: ctx.name, domain: ctx.name, split: source.split, speaker: values['client_id'] as string };
        const meta: Record<string, string> = {};
        for (const column of metaColumns) {
          const value = values[column];
          if (value !== undefined && value !== '') meta[column] = value;
        }
        if (Object.keys(meta).length > 0) item.meta = meta;
        items.push(item);
      }
    }
    missing.settle();
    return items;
  },
};
