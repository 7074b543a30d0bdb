import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../../../src/data/datasets/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { buildTree, counts, expectReadableItems, failureOf, tools } from './tree.js';

const protocols = 'LA/ASVspoof2019_LA_cm_protocols';

function asvspoof2019(root: string, overrides: Record<string, string> = {}): Map<string, number> {
  return buildTree(root, {
    text: {
      [`${protocols}/ASVspoof2019.LA.cm.train.trn.txt`]: 'LA_0079 LA_T_1000001 - - bonafide\nLA_0079 LA_T_1000002 - A01 spoof\nLA_0080 LA_T_1000003 - A02 spoof\n',
      [`${protocols}/ASVspoof2019.LA.cm.dev.trl.txt`]: 'LA_0069 LA_D_1000001 - - bonafide\nLA_0069 LA_D_1000002 - A03 spoof\n',
      [`${protocols}/ASVspoof2019.LA.cm.eval.trl.txt`]: 'LA_0039 LA_E_1000001 - - bonafide\nLA_0039 LA_E_1000002 - A17 spoof\n\n',
      ...overrides,
    },
    audio: [
      'LA/ASVspoof2019_LA_train/flac/LA_T_1000001.flac',
      'LA/ASVspoof2019_LA_train/flac/LA_T_1000002.flac',
      'LA/ASVspoof2019_LA_train/flac/LA_T_1000003.flac',
      'LA/ASVspoof2019_LA_dev/flac/LA_D_1000001.flac',
      'LA/ASVspoof2019_LA_dev/flac/LA_D_1000002.flac',
      'LA/ASVspoof2019_LA_eval/flac/LA_E_1000001.flac',
      'LA/ASVspoof2019_LA_eval/flac/LA_E_1000002.flac',
    ],
  });
}

describe('asvspoof2019-la adapter', () => {
  it('reads the three protocols, their FLAC files and metadata', async () => {
    const root = tempDir();
    const tones = asvspoof2019(root);
    const items = await loadDataset({ name: 'asv19', adapter: 'asvspoof2019-la', root });
    expect(counts(items)).toEqual({ 'train/bonafide': 1, 'train/spoof': 2, 'dev/bonafide': 1, 'dev/spoof': 1, 'eval/bonafide': 1, 'eval/spoof': 1 });
    expect(items[1]).toEqual({
      id: 'LA_T_1000002',
      path: join(root, 'LA/ASVspoof2019_LA_train/flac/LA_T_1000002.flac'),
      label: 'spoof',
      dataset: 'asv19',
      domain: 'asv19',
      split: 'train',
      speaker: 'LA_0079',
      attack: 'A01',
    });
    expect(items[0]?.attack).toBeUndefined();
    if (tools.flac) expect(readFileSync(items[0]!.path).subarray(0, 4).toString('latin1')).toBe('fLaC');
    await expectReadableItems(items, tones);
  });

  it('accepts the LA folder itself as root, a domain override and a split selection', async () => {
    const root = tempDir();
    asvspoof2019(root);
    const items = await loadDataset({ name: 'asv19', adapter: 'asvspoof2019-la', root: join(root, 'LA'), options: { domain: 'asvspoof', splits: ['eval'] } });
    expect(items.map((i) => i.id)).toEqual(['LA_E_1000001', 'LA_E_1000002']);
    expect(items.every((i) => i.domain === 'asvspoof')).toBe(true);
  });

  it('names the file and line of a row with the wrong number of columns', async () => {
    const root = tempDir();
    asvspoof2019(root, { [`${protocols}/ASVspoof2019.LA.cm.dev.trl.txt`]: 'LA_0069 LA_D_1000001 - - bonafide\nLA_0069 LA_D_1000002 A03 spoof\n' });
    const message = await failureOf(loadDataset({ name: 'asv19', adapter: 'asvspoof2019-la', root }));
    expect(message).toContain('dataset "asv19" (asvspoof2019-la)');
    expect(message).toContain(`${join(root, protocols, 'ASVspoof2019.LA.cm.dev.trl.txt')}:2:`);
    expect(message).toContain('expected 5 space-separated columns (SPEAKER UTT - ATTACK KEY), found 4');
  });

  it('rejects a label outside bonafide/spoof with file and line', async () => {
    const root = tempDir();
    asvspoof2019(root, { [`${protocols}/ASVspoof2019.LA.cm.eval.trl.txt`]: 'LA_0039 LA_E_1000001 - - bonafide\nLA_0039 LA_E_1000002 - A17 spooof\n' });
    const message = await failureOf(loadDataset({ name: 'asv19', adapter: 'asvspoof2019-la', root }));
    expect(message).toContain('ASVspoof2019.LA.cm.eval.trl.txt:2:');
    expect(message).toContain('label "spooof" is not one of "bonafide", "spoof"');
  });

  it('reports a listed file that does not exist, or skips it when told to', async () => {
    const root = tempDir();
    asvspoof2019(root, { [`${protocols}/ASVspoof2019.LA.cm.train.trn.txt`]: 'LA_0079 LA_T_1000001 - - bonafide\nLA_0079 LA_T_9999999 - A01 spoof\n' });
    const message = await failureOf(loadDataset({ name: 'asv19', adapter: 'asvspoof2019-la', root }));
    expect(message).toContain('ASVspoof2019.LA.cm.train.trn.txt:2: lists');
    expect(message).toContain('LA_T_9999999.flac, which does not exist (1 of 6 listed files are missing)');
    expect(message).toContain('onMissingFile');
    const notes: string[] = [];
    const items = await loadDataset({ name: 'asv19', adapter: 'asvspoof2019-la', root, options: { onMissingFile: 'skip' } }, { warn: (m) => notes.push(m) });
    expect(items).toHaveLength(5);
    expect(notes.join('\n')).toContain('skipped 1 of 6 listed files, which are missing');
  });

  it('says what it expected when the root or the protocols are missing', async () => {
    const root = tempDir();
    const missingRoot = await failureOf(loadDataset({ name: 'asv19', adapter: 'asvspoof2019-la', root: join(root, 'nowhere') }));
    expect(missingRoot).toContain(`root folder ${join(root, 'nowhere')} does not exist`);
    expect(missingRoot).toContain('ASVspoof2019_LA_cm_protocols');
    buildTree(root, { text: { [`${protocols}/README`]: '' } });
    const noProtocols = await failureOf(loadDataset({ name: 'asv19', adapter: 'asvspoof2019-la', root }));
    expect(noProtocols).toContain('found none of the protocol files');
  });
});
