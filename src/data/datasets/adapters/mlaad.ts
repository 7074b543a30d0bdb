import { join } from 'node:path';
import type { DatasetItem } from '../../item.js';
import { objectSchema, seededSplitOptions, type DatasetAdapter } from '../adapter.js';
import type { DatasetContext } from '../context.js';
import { audioFilesIn, stem, subfolders } from '../files.js';
import { seededSplit, splitOptionsOf, type UnsplitItem } from '../split.js';

const layout = 'fake/<language>/<model>/*.wav (root: the folder holding fake/)';

/**
 * MLAAD: spoofed speech only (pair it with a bona fide corpus such as M-AILABS through a
 * second dataset). The model folder is the attack; the split is seeded and stratified by
 * model, so every text-to-speech model appears in every split.
 */
export const mlaad: DatasetAdapter = {
  name: 'mlaad',
  layout,
  splits: 'no official split: seeded split stratified by model (attack), options.fractions and options.seed',
  optionsSchema: objectSchema({
    languages: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, description: 'language folders to read (default: all).' },
    ...seededSplitOptions,
  }),
  async load(ctx: DatasetContext): Promise<DatasetItem[]> {
    const splitOptions = splitOptionsOf(ctx);
    ctx.requireDir(ctx.root, 'root folder', `Expected ${layout}.`);
    const fakeDir = join(ctx.root, 'fake');
    ctx.requireDir(fakeDir, 'folder', `Expected ${layout}.`);
    const wanted = ctx.option<string[] | undefined>('languages');
    const present = subfolders(fakeDir);
    for (const language of wanted ?? []) {
      if (!present.includes(language)) throw ctx.error(`options.languages names "${language}", but ${join(fakeDir, language)} does not exist (found ${present.join(', ') || 'no language folders'}).`);
    }
    const items: UnsplitItem[] = [];
    for (const language of wanted ?? present) {
      for (const model of subfolders(join(fakeDir, language))) {
        for (const file of audioFilesIn(join(fakeDir, language, model))) {
          items.push({
            id: `${language}/${model}/${stem(file)}`,
            path: join(fakeDir, language, model, file),
            label: 'spoof',
            dataset: ctx.name,
            domain: ctx.name,
            attack: model,
            meta: { language },
          });
        }
      }
    }
    if (items.length === 0) throw ctx.error(`found no audio files under ${fakeDir}. Expected ${layout}.`);
    return seededSplit(items, splitOptions, 'mlaad', (item) => item.attack ?? '');
  },
};
