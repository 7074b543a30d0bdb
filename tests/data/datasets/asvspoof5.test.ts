import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadDataset } from '../../../src/data/datasets/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { buildTree, counts, expectReadableItems, failureOf } from './tree.js';

function tree(root: string, text: Record<string, string> = {}): Map<string, number> {
  return buildTree(root, {
    text: {
      'ASVspoof5.train.tsv': 'T_4850 T_0000000000 F - - - AC3 A05 spoof -\nT_4850 T_0000000001 F - - - - bonafide bonafide -\n',
      'ASVspoof5.dev.track_1.tsv': 'D_4461 D_0000000169 F - - - AC1 A14 spoof -\nD_0062 D_0000000170 M - - - - bonafide bonafide -\n',
      'ASVspoof5.eval.track_1.tsv': 'E_0001 E_0000000001 M C05 1 1234 AC2 A20 spoof -\n',
      ...text,
    },
    audio: ['flac_T/T_0000000000.flac', 'flac_T/T_0000000001.flac', 'flac_D/D_0000000169.flac', 'flac_D/D_0000000170.flac', 'flac_E_eval/E_0000000001.flac'],
  });
}

describe('asvspoof5 adapter', () => {
  it('reads train, dev and eval track 1 with gender, codec and attack', async () => {
    const root = tempDir();
    const tones = tree(root);
    const items = await loadDataset({ name: 'asv5', adapter: 'asvspoof5', root });
    expect(counts(items)).toEqual({ 'train/spoof': 1, 'train/bonafide': 1, 'dev/spoof': 1, 'dev/bonafide': 1, 'eval/spoof': 1 });
    expect(items[2]).toMatchObject({ id: 'D_0000000169', split: 'dev', label: 'spoof', attack: 'A14', speaker: 'D_4461', meta: { gender: 'F', attackTag: 'AC1' } });
    expect(items[1]?.attack).toBeUndefined();
    expect(items[4]).toMatchObject({ split: 'eval', codec: 'C05', meta: { gender: 'M', codecQuality: '1', codecSeed: '1234' } });
    await expectReadableItems(items, tones);
  });

  it('reads what is present and notes a missing protocol (eval keys came out later)', async () => {
    const root = tempDir();
    buildTree(root, { text: { 'ASVspoof5_protocols/ASVspoof5.train.tsv': 'T_1 T_0000000000 F - - - AC3 A05 spoof -\n' }, audio: ['flac_T/T_0000000000.flac'] });
    const notes: string[] = [];
    const items = await loadDataset({ name: 'asv5', adapter: 'asvspoof5', root }, { warn: (m) => notes.push(m) });
    expect(items).toHaveLength(1);
    expect(notes.join('\n')).toContain('no eval split');
    const asked = await failureOf(loadDataset({ name: 'asv5', adapter: 'asvspoof5', root, options: { splits: ['train', 'eval'] } }));
    expect(asked).toContain(`the eval protocol ${join(root, 'ASVspoof5_protocols', 'ASVspoof5.eval.track_1.tsv')} does not exist (options.splits asks for it)`);
  });

  it('names file and line of a malformed row and an unknown key', async () => {
    const root = tempDir();
    tree(root, { 'ASVspoof5.dev.track_1.tsv': 'D_4461 D_0000000169 F - - - AC1 A14 spoof -\nD_0062 D_0000000170 M - - - - bonafide bonafide\n' });
    expect(await failureOf(loadDataset({ name: 'asv5', adapter: 'asvspoof5', root }))).toContain('ASVspoof5.dev.track_1.tsv:2: expected 10 space-separated columns');
    const other = tempDir();
    tree(other, { 'ASVspoof5.train.tsv': 'T_4850 T_0000000000 F - - - AC3 A05 fake -\n' });
    expect(await failureOf(loadDataset({ name: 'asv5', adapter: 'asvspoof5', root: other }))).toContain('ASVspoof5.train.tsv:1: label "fake" is not one of "bonafide", "spoof"');
  });

  it('rejects an unknown option with the options it knows', async () => {
    const root = tempDir();
    tree(root);
    const message = await failureOf(loadDataset({ name: 'asv5', adapter: 'asvspoof5', root, options: { trak: 1 } }));
    expect(message).toContain('unknown option datasets.asv5.options.trak for asvspoof5');
    expect(message).toContain('track');
    expect(await failureOf(loadDataset({ name: 'asv5', adapter: 'asvspoof5', root, options: { track: 3 } }))).toContain('datasets.asv5.options.track must be one of 1, 2 (got 3)');
  });
});
