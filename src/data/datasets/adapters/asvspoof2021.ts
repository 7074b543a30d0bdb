import { join } from 'node:path';
import type { DatasetItem } from '../../item.js';
import { extensionOption, objectSchema, type DatasetAdapter } from '../adapter.js';
import type { DatasetContext } from '../context.js';
import { MissingFiles } from '../files.js';
import { bonafideSpoof, dashToUndefined, parseLabel } from '../labels.js';
import { readProtocol } from '../protocol.js';

interface Track2021 {
  track: 'LA' | 'DF';
  /** Column names of trial_metadata.txt, in order. */
  columns: readonly string[];
  /** Which columns become item fields; the rest (not "-") go to `meta`. */
  speaker: string;
  trial: string;
  codec: string;
  attack: string;
  label: string;
}

const la: Track2021 = {
  track: 'LA',
  columns: ['speaker', 'trial', 'codec', 'transmission', 'attack', 'label', 'trim', 'subset'],
  speaker: 'speaker',
  trial: 'trial',
  codec: 'codec',
  attack: 'attack',
  label: 'label',
};

const df: Track2021 = {
  track: 'DF',
  columns: ['speaker', 'trial', 'compression', 'source', 'attack', 'label', 'trim', 'subset', 'vocoder', 'task', 'team', 'genderPair', 'language'],
  speaker: 'speaker',
  trial: 'trial',
  codec: 'compression',
  attack: 'attack',
  label: 'label',
};

const subsetsOption = {
  subsets: {
    type: 'array',
    items: { type: 'string', minLength: 1 },
    minItems: 1,
    description: 'keep only these values of the subset (phase) column, e.g. ["eval"] (default: all).',
  },
} as const;

function layoutOf(track: Track2021): string {
  return `ASVspoof2021_${track.track}_eval/flac/*.flac with keys/${track.track}/CM/trial_metadata.txt (root: the folder holding both)`;
}

/**
 * ASVspoof 2021 LA and DF: evaluation data only, so every item is in `eval`; the keys'
 * subset column (progress/eval/...) is kept in `meta.subset` and can filter via options.subsets.
 */
function adapter2021(track: Track2021): DatasetAdapter {
  const layout = layoutOf(track);
  return {
    name: `asvspoof2021-${track.track.toLowerCase()}`,
    layout,
    splits: 'everything -> eval (2021 has evaluation data only; meta.subset keeps progress/eval)',
    optionsSchema: objectSchema({ ...subsetsOption, ...extensionOption }),
    async load(ctx: DatasetContext): Promise<DatasetItem[]> {
      ctx.requireDir(ctx.root, 'root folder', `Expected ${layout}.`);
      const keys = join(ctx.root, 'keys', track.track, 'CM', 'trial_metadata.txt');
      ctx.requireFile(keys, 'key file', `Expected ${layout} (the keys come in a separate archive, ${track.track}-keys-full.tar.gz).`);
      const audioDir = join(ctx.root, `ASVspoof2021_${track.track}_eval`, 'flac');
      ctx.requireDir(audioDir, 'audio folder', `Expected ${layout}.`);
      const subsets = ctx.option<string[] | undefined>('subsets');
      const extension = ctx.option<string>('extension');
      const missing = new MissingFiles(ctx);
      const items: DatasetItem[] = [];
      for (const { fields, line } of readProtocol(ctx, keys, [track.columns.length], track.columns.join(' '))) {
        const row = Object.fromEntries(track.columns.map((name, i) => [name, fields[i] as string]));
        const label = parseLabel(ctx, row[track.label] as string, bonafideSpoof, { file: keys, line });
        if (subsets !== undefined && !subsets.includes(row['subset'] as string)) continue;
        const id = row[track.trial] as string;
        const path = join(audioDir, `${id}.${extension}`);
        if (!missing.check(path, { file: keys, line })) continue;
        const item: DatasetItem = { id, path, label, dataset: ctx.name, domain: ctx.name, split: 'eval', speaker: row[track.speaker] as string };
        const codec = dashToUndefined(row[track.codec]);
        if (codec !== undefined) item.codec = codec;
        const attack = dashToUndefined(row[track.attack]);
        if (attack !== undefined && label === 'spoof') item.attack = attack;
        const meta: Record<string, string> = {};
        for (const name of track.columns) {
          if ([track.speaker, track.trial, track.codec, track.attack, track.label].includes(name)) continue;
          const value = dashToUndefined(row[name]);
          if (value !== undefined) meta[name] = value;
        }
        if (Object.keys(meta).length > 0) item.meta = meta;
        items.push(item);
      }
      missing.settle();
      return items;
    },
  };
}

export const asvspoof2021La = adapter2021(la);
export const asvspoof2021Df = adapter2021(df);
