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
  'LA/ASVspoof2019_LA_{train,dev,eval}/flac/*.flac with LA/ASVspoof2019_LA_cm_protocols/ASVspoof2019.LA.cm.{train.trn,dev.trl,eval.trl}.txt (root: the folder holding LA/, or LA/ itself)';

const subsets: ReadonlyArray<{ split: Split; protocol: string; audio: string }> = [
  { split: 'train', protocol: 'ASVspoof2019.LA.cm.train.trn.txt', audio: 'ASVspoof2019_LA_train' },
  { split: 'dev', protocol: 'ASVspoof2019.LA.cm.dev.trl.txt', audio: 'ASVspoof2019_LA_dev' },
  { split: 'eval', protocol: 'ASVspoof2019.LA.cm.eval.trl.txt', audio: 'ASVspoof2019_LA_eval' },
];

/** ASVspoof 2019 logical access: protocol lines `SPEAKER UTT - ATTACK KEY`. */
export const asvspoof2019La: DatasetAdapter = {
  name: 'asvspoof2019-la',
  layout,
  splits: 'train -> train, dev -> dev, eval -> eval',
  optionsSchema: objectSchema({ ...splitsOption, ...extensionOption }),
  async load(ctx: DatasetContext): Promise<DatasetItem[]> {
    ctx.requireDir(ctx.root, 'root folder', `Expected ${layout}.`);
    const laDir = existsSync(join(ctx.root, 'LA')) ? join(ctx.root, 'LA') : ctx.root;
    const protocolDir = join(laDir, 'ASVspoof2019_LA_cm_protocols');
    ctx.requireDir(protocolDir, 'protocol folder', `Expected ${layout}.`);
    const sources = subsets.map((s) => ({ split: s.split, file: join(protocolDir, s.protocol), extra: join(laDir, s.audio, 'flac') }));
    const extension = ctx.option<string>('extension');
    const items: DatasetItem[] = [];
    const missing = new MissingFiles(ctx);
    for (const source of selectSplits(ctx, sources, `Expected ${layout}.`)) {
      for (const { fields, line } of readProtocol(ctx, source.file, [5], 'SPEAKER UTT - ATTACK KEY')) {
        const [speaker, utterance, , attack, key] = fields as [string, string, string, string, string];
        const label = parseLabel(ctx, key, bonafideSpoof, { file: source.file, line });
        const path = join(source.extra, `${utterance}.${extension}`);
        if (!missing.check(path, { file: source.file, line })) continue;
        const item: DatasetItem = { id: utterance, path, label, dataset: ctx.name, domain: ctx.name, split: source.split, speaker };
        const attackId = dashToUndefined(attack);
        if (attackId !== undefined) item.attack = attackId;
        items.push(item);
      }
    }
    missing.settle();
    return items;
  },
};
