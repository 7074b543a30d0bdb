import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetItem, Split } from '../../item.js';
import { extensionOption, objectSchema, splitsOption, type DatasetAdapter } from '../adapter.js';
import type { DatasetContext } from '../context.js';
import { MissingFiles } from '../files.js';
import { bonafideSpoof, dashToUndefined, parseLabel } from '../labels.js';
import { readProtocol } from '../protocol.js';
import { selectSplits } from '../split-files.js';

const layout =
  'flac_T/, flac_D/, flac_E_eval/ with ASVspoof5.train.tsv, ASVspoof5.dev.track_<N>.tsv, ASVspoof5.eval.track_<N>.tsv (in the root or ASVspoof5_protocols/)';

/**
 * Column names of the space-separated protocol rows, e.g.
 * `D_4461 D_0000000169 F - - - AC1 A14 spoof -`. The organisers' names are unconfirmed;
 * these follow the protocol README of the first release.
 */
const columns = ['speaker', 'file', 'gender', 'codec', 'codecQuality', 'codecSeed', 'attackTag', 'attack', 'key', 'tmp'] as const;

/** ASVspoof 5: speaker, gender, codec and attack per row; track 1 (countermeasures) by default. */
export const asvspoof5: DatasetAdapter = {
  name: 'asvspoof5',
  layout,
  splits: 'train (flac_T) -> train, dev (flac_D) -> dev, eval (flac_E_eval) -> eval',
  optionsSchema: objectSchema({
    track: { enum: [1, 2], default: 1, description: 'which track\'s dev/eval protocols to read.' },
    ...splitsOption,
    ...extensionOption,
  }),
  async load(ctx: DatasetContext): Promise<DatasetItem[]> {
    ctx.requireDir(ctx.root, 'root folder', `Expected ${layout}.`);
    const track = ctx.option<number>('track');
    const protocolDir = existsSync(join(ctx.root, 'ASVspoof5_protocols')) ? join(ctx.root, 'ASVspoof5_protocols') : ctx.root;
    const subsets: ReadonlyArray<{ split: Split; protocol: string; audio: string }> = [
      { split: 'train', protocol: 'ASVspoof5.train.tsv', audio: 'flac_T' },
      { split: 'dev', protocol: `ASVspoof5.dev.track_${track}.tsv`, audio: 'flac_D' },
      { split: 'eval', protocol: `ASVspoof5.eval.track_${track}.tsv`, audio: 'flac_E_eval' },
    ];
    const sources = subsets.map((s) => ({ split: s.split, file: join(protocolDir, s.protocol), extra: join(ctx.root, s.audio) }));
    const extension = ctx.option<string>('extension');
    const missing = new MissingFiles(ctx);
    const items: DatasetItem[] = [];
    for (const source of selectSplits(ctx, sources, `Expected ${layout}.`)) {
      ctx.requireDir(source.extra, `audio folder of the ${source.split} split`, `Expected ${layout}.`);
      for (const { fields, line } of readProtocol(ctx, source.file, [columns.length], columns.join(' '))) {
        const row = Object.fromEntries(columns.map((name, i) => [name, fields[i] as string])) as Record<(typeof columns)[number], string>;
        const where = { file: source.file, line };
        const label = parseLabel(ctx, row.key, bonafideSpoof, where);
        const path = join(source.extra, `${row.file}.${extension}`);
        if (!missing.check(path, where)) continue;
        const item: DatasetItem = { id: row.file, path, label, dataset: ctx.name, domain: ctx.name, split: source.split, speaker: row.speaker };
        const codec = dashToUndefined(row.codec);
        if (codec !== undefined) item.codec = codec;
        const attack = dashToUndefined(row.attack);
        if (attack !== undefined && attack !== 'bonafide') item.attack = attack;
        const meta: Record<string, string> = {};
        for (const name of ['gender', 'codecQuality', 'codecSeed', 'attackTag'] as const) {
          const value = dashToUndefined(row[name]);
          if (value !== undefined) meta[name] = value;
        }
        if (Object.keys(meta).length > 0) item.meta = meta;
        items.push(item);
      }
    }
    missing.settle();
    return items;
  },
};
