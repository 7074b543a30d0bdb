import { join } from 'node:path';
import type { DatasetItem } from '../../item.js';
import { objectSchema, seededSplitOptions, type DatasetAdapter } from '../adapter.js';
import type { DatasetContext } from '../context.js';
import { sortedEntries, subfolders } from '../files.js';
import { seededSplit, splitOptionsOf, type UnsplitItem } from '../split.js';

const layout = 'wav48_silence_trimmed/<speaker>/<speaker>_<utterance>_mic{1,2}.flac (root: VCTK-Corpus-0.92/)';

/**
 * VCTK 0.92: bona fide, two microphones per utterance (mic1 by default, so an utterance is
 * not counted twice). No official split: seeded, optionally speaker-disjoint (groupBy).
 */
export const vctk: DatasetAdapter = {
  name: 'vctk',
  layout,
  splits: 'no official split: seeded split, options.fractions/seed; groupBy "speaker" for speaker-disjoint splits',
  optionsSchema: objectSchema({
    mic: { enum: ['mic1', 'mic2', 'both'], default: 'mic1', description: 'which microphone\'s recordings to read.' },
    ...seededSplitOptions,
  }),
  async load(ctx: DatasetContext): Promise<DatasetItem[]> {
    const splitOptions = splitOptionsOf(ctx);
    ctx.requireDir(ctx.root, 'root folder', `Expected ${layout}.`);
    const audioDir = join(ctx.root, 'wav48_silence_trimmed');
    ctx.requireDir(audioDir, 'audio folder', `Expected ${layout}.`);
    const mic = ctx.option<string>('mic');
    const items: UnsplitItem[] = [];
    for (const speaker of subfolders(audioDir)) {
      for (const entry of sortedEntries(join(audioDir, speaker))) {
        if (!entry.isFile() || !entry.name.endsWith('.flac')) continue;
        const match = /^([^_]+)_(\d+)_(mic[12])\.flac$/.exec(entry.name);
        if (match === null || match[1] !== speaker) {
          throw ctx.error(`${join(audioDir, speaker, entry.name)} does not follow <speaker>_<utterance>_mic{1,2}.flac for speaker ${speaker}. Rename or remove it.`);
        }
        if (mic !== 'both' && match[3] !== mic) continue;
        items.push({
          id: entry.name.slice(0, -'.flac'.length),
          path: join(audioDir, speaker, entry.name),
          label: 'bonafide',
          dataset: ctx.name,
          domain: ctx.name,
          speaker,
          meta: { mic: match[3] as string },
        });
      }
    }
    if (items.length === 0) throw ctx.error(`found no ${mic === 'both' ? '' : `${mic} `}recordings under ${audioDir}. Expected ${layout}.`);
    return seededSplit(items, splitOptions, 'vctk');
  },
};
