import { basename, join } from 'node:path';
import type { DatasetItem, Split } from '../../item.js';
import { objectSchema, type DatasetAdapter } from '../adapter.js';
import type { DatasetContext } from '../context.js';
import { sortedEntries, subfolders } from '../files.js';

const layout = '<subset>/<speaker>/<chapter>/<speaker>-<chapter>-<utterance>.flac, subsets like train-clean-100, dev-clean, test-other (root: LibriSpeech/, or one subset folder)';
const subsetPattern = /^(train|dev|test)-[A-Za-z0-9-]+$/;
const splitOfPrefix: Readonly<Record<string, Split>> = { train: 'train', dev: 'dev', test: 'eval' };

/** LibriSpeech: bona fide read speech; the subset's prefix gives the split. */
export const librispeech: DatasetAdapter = {
  name: 'librispeech',
  layout,
  splits: 'train-* -> train, dev-* -> dev, test-* -> eval',
  optionsSchema: objectSchema({
    subsets: { type: 'array', items: { type: 'string', pattern: subsetPattern.source }, minItems: 1, description: 'subset folders to read (default: all present).' },
  }),
  async load(ctx: DatasetContext): Promise<DatasetItem[]> {
    ctx.requireDir(ctx.root, 'root folder', `Expected ${layout}.`);
    const single = subsetPattern.test(basename(ctx.root));
    const present = single ? [basename(ctx.root)] : subfolders(ctx.root).filter((name) => subsetPattern.test(name));
    const wanted = ctx.option<string[] | undefined>('subsets');
    for (const subset of wanted ?? []) {
      if (!present.includes(subset)) throw ctx.error(`options.subsets names "${subset}", which is not a folder of ${ctx.root} (found ${present.join(', ') || 'none'}).`);
    }
    const subsets = wanted ?? present;
    if (subsets.length === 0) throw ctx.error(`found no subset folder (train-*, dev-*, test-*) in ${ctx.root}. Expected ${layout}.`);
    const items: DatasetItem[] = [];
    for (const subset of subsets) {
      const subsetDir = single ? ctx.root : join(ctx.root, subset);
      const split = splitOfPrefix[subset.split('-')[0] as string] as Split;
      for (const speaker of subfolders(subsetDir)) {
        for (const chapter of subfolders(join(subsetDir, speaker))) {
          const chapterDir = join(subsetDir, speaker, chapter);
          for (const entry of sortedEntries(chapterDir)) {
            if (!entry.isFile() || !entry.name.endsWith('.flac')) continue;
            const match = /^(\d+)-(\d+)-(\d+)\.flac$/.exec(entry.name);
            if (match === null || match[1] !== speaker || match[2] !== chapter) {
              throw ctx.error(`${join(chapterDir, entry.name)} does not follow <speaker>-<chapter>-<utterance>.flac for speaker ${speaker}, chapter ${chapter}. Rename or remove it.`);
            }
            items.push({
              id: entry.name.slice(0, -'.flac'.length),
              path: join(chapterDir, entry.name),
              label: 'bonafide',
              dataset: ctx.name,
              domain: ctx.name,
              split,
              speaker,
              meta: { subset, chapter },
            });
          }
        }
      }
    }
    return items;
  },
};
