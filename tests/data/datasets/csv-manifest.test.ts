import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadDataset } from '../../../src/data/datasets/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { buildTree, counts, expectReadableItems, failureOf } from './tree.js';

const audio = ['audio/a.wav', 'audio/b.wav', 'audio/c.flac', 'audio/d.wav'];

describe('csv manifest adapter', () => {
  it('reads path/label/split/domain/attack/speaker/codec, extra columns as meta, paths relative to the manifest', async () => {
    const root = tempDir();
    const manifest = [
      'path,label,split,domain,attack,speaker,codec,source',
      'audio/a.wav,bonafide,train,studio,,spk1,,"recorded, 2024"',
      'audio/b.wav,spoof,training,studio,tts-x,spk1,mp3,web',
      'audio/c.flac,fake,validation,phone,vc-y,spk2,,',
      'audio/d.wav,real,test,phone,,spk3,,',
    ].join('\n');
    const tones = buildTree(root, { text: { 'lists/manifest.csv': manifest.replace(/audio\//g, '../audio/') }, audio });
    const items = await loadDataset({ name: 'mine', adapter: 'csv', root: join(root, 'lists', 'manifest.csv') });
    expect(counts(items)).toEqual({ 'train/bonafide': 1, 'train/spoof': 1, 'dev/spoof': 1, 'eval/bonafide': 1 });
    expect(items[0]).toEqual({ id: '../audio/a', path: join(root, 'audio', 'a.wav'), label: 'bonafide', dataset: 'mine', domain: 'studio', split: 'train', speaker: 'spk1', meta: { source: 'recorded, 2024' } });
    expect(items[1]).toMatchObject({ attack: 'tts-x', codec: 'mp3', label: 'spoof' });
    await expectReadableItems(items, tones);
  });

  it('reads a folder holding manifest.csv, a TSV, ids, and splits without a split column by seed', async () => {
    const root = tempDir();
    const rows = Array.from({ length: 20 }, (_, i) => `clip${i},audio/${i % 4 === 0 ? 'a.wav' : 'b.wav'},${i < 10 ? 'bonafide' : 'spoof'}`);
    buildTree(root, { text: { 'manifest.csv': `id,path,label\n${rows.join('\n')}\n`, 'other.tsv': 'path\tlabel\tsplit\naudio/a.wav\tspoof\teval\n' }, audio });
    const items = await loadDataset({ name: 'mine', adapter: 'csv', root });
    expect(items.map((i) => i.id)).toEqual(rows.map((r) => r.split(',')[0]));
    expect(counts(items)).toEqual({ 'train/bonafide': 6, 'dev/bonafide': 2, 'eval/bonafide': 2, 'train/spoof': 6, 'dev/spoof': 2, 'eval/spoof': 2 });
    expect(items.every((i) => i.domain === 'mine')).toBe(true);
    const tsv = await loadDataset({ name: 'mine', adapter: 'csv', root: join(root, 'other.tsv') });
    expect(tsv).toMatchObject([{ label: 'spoof', split: 'eval' }]);
  });

  it('names file and line for a bad label, a bad split, a short row, a missing file, a duplicate id', async () => {
    const check = async (manifest: string, expected: string): Promise<void> => {
      const root = tempDir();
      buildTree(root, { text: { 'manifest.csv': manifest }, audio });
      const message = await failureOf(loadDataset({ name: 'mine', adapter: 'csv', root }));
      expect(message).toContain(`dataset "mine" (csv): `);
      expect(message).toContain(expected);
    };
    await check('path,label\naudio/a.wav,bonafide\naudio/b.wav,maybe\n', 'manifest.csv:3: label "maybe" is not one of "bonafide", "bona-fide", "genuine", "real", "pristine", "spoof", "fake", "generated"');
    await check('path,label,split\naudio/a.wav,spoof,holdout\n', 'manifest.csv:2: split "holdout" is not one of train, training, dev');
    await check('path,label,split\naudio/a.wav,spoof,eval\naudio/b.wav,spoof\n', 'manifest.csv:3: expected 3 comma-separated columns (path, label, split), found 2');
    await check('path,label\naudio/a.wav,spoof\naudio/zzz.wav,spoof\n', 'manifest.csv:3: lists');
    await check('id,path,label\nx,audio/a.wav,spoof\nx,audio/b.wav,spoof\n', 'item id "x" appears twice');
    await check('path,label\n"audio/a.wav,spoof\n', 'malformed comma-separated');
    await check('file,label\naudio/a.wav,spoof\n', 'manifest.csv:1: the header has no column "path" (found file, label)');
    const empty = tempDir();
    expect(await failureOf(loadDataset({ name: 'mine', adapter: 'csv', root: empty }))).toContain(`manifest ${join(empty, 'manifest.csv')} does not exist`);
  });
});
