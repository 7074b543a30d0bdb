import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadDataset } from '../../../src/data/datasets/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { buildTree, expectReadableItems, failureOf } from './tree.js';

describe('asvspoof2021-la adapter', () => {
  const keys = 'keys/LA/CM/trial_metadata.txt';
  const lines = ['LA_0009 LA_E_9332881 alaw ita_tx A07 spoof notrim eval', 'LA_0012 LA_E_5849185 none - bonafide bonafide notrim progress', 'LA_0013 LA_E_1000003 g722 sin_tx A19 spoof trim eval'];

  function tree(root: string, keyText = lines.join('\n') + '\n'): Map<string, number> {
    return buildTree(root, {
      text: { [keys]: keyText },
      audio: ['ASVspoof2021_LA_eval/flac/LA_E_9332881.flac', 'ASVspoof2021_LA_eval/flac/LA_E_5849185.flac', 'ASVspoof2021_LA_eval/flac/LA_E_1000003.flac'],
    });
  }

  it('reads the keys: everything is eval, with codec, transmission and subset', async () => {
    const root = tempDir();
    const tones = tree(root);
    const items = await loadDataset({ name: 'la21', adapter: 'asvspoof2021-la', root });
    expect(items).toHaveLength(3);
    expect(items.every((i) => i.split === 'eval')).toBe(true);
    expect(items[0]).toMatchObject({ id: 'LA_E_9332881', label: 'spoof', attack: 'A07', codec: 'alaw', speaker: 'LA_0009', meta: { transmission: 'ita_tx', trim: 'notrim', subset: 'eval' } });
    expect(items[1]).toMatchObject({ id: 'LA_E_5849185', label: 'bonafide', codec: 'none', meta: { trim: 'notrim', subset: 'progress' } });
    expect(items[1]?.attack).toBeUndefined();
    await expectReadableItems(items, tones);
    const evalOnly = await loadDataset({ name: 'la21', adapter: 'asvspoof2021-la', root, options: { subsets: ['eval'] } });
    expect(evalOnly.map((i) => i.id)).toEqual(['LA_E_9332881', 'LA_E_1000003']);
  });

  it('names file and line for a short row and an unknown label, and a missing key file', async () => {
    const root = tempDir();
    tree(root, `${lines[0]}\nLA_0012 LA_E_5849185 none - bonafide bonafide notrim\n`);
    const short = await failureOf(loadDataset({ name: 'la21', adapter: 'asvspoof2021-la', root }));
    expect(short).toContain(`${join(root, keys)}:2: expected 8 space-separated columns (speaker trial codec transmission attack label trim subset), found 7`);
    const other = tempDir();
    tree(other, `${lines[0]}\nLA_0012 LA_E_5849185 none - bonafide genuine notrim progress\n`);
    expect(await failureOf(loadDataset({ name: 'la21', adapter: 'asvspoof2021-la', root: other }))).toContain(':2: label "genuine" is not one of "bonafide", "spoof"');
    const empty = tempDir();
    expect(await failureOf(loadDataset({ name: 'la21', adapter: 'asvspoof2021-la', root: empty }))).toContain(`key file ${join(empty, keys)} does not exist`);
  });

  it('reports a trial whose audio is missing', async () => {
    const root = tempDir();
    tree(root, `${lines.join('\n')}\nLA_0014 LA_E_0000404 none - A10 spoof notrim eval\n`);
    const message = await failureOf(loadDataset({ name: 'la21', adapter: 'asvspoof2021-la', root }));
    expect(message).toContain(`${join(root, keys)}:4: lists ${join(root, 'ASVspoof2021_LA_eval/flac/LA_E_0000404.flac')}, which does not exist`);
  });
});

describe('asvspoof2021-df adapter', () => {
  const keys = 'keys/DF/CM/trial_metadata.txt';

  it('reads the 13-column DF keys with compression, source and vocoder', async () => {
    const root = tempDir();
    const tones = buildTree(root, {
      text: {
        [keys]:
          'LA_0043 DF_E_2000026 mp3m4a asvspoof A09 spoof notrim eval traditional_vocoder - - - -\n' +
          'VCC2TF1 DF_E_2000027 nocodec vcc2020 - bonafide notrim progress - - - - -\n',
      },
      audio: ['ASVspoof2021_DF_eval/flac/DF_E_2000026.flac', 'ASVspoof2021_DF_eval/flac/DF_E_2000027.flac'],
    });
    const items = await loadDataset({ name: 'df21', adapter: 'asvspoof2021-df', root });
    expect(items[0]).toMatchObject({ id: 'DF_E_2000026', label: 'spoof', attack: 'A09', codec: 'mp3m4a', split: 'eval', meta: { source: 'asvspoof', vocoder: 'traditional_vocoder', subset: 'eval' } });
    expect(items[1]).toMatchObject({ id: 'DF_E_2000027', label: 'bonafide', codec: 'nocodec', speaker: 'VCC2TF1', meta: { source: 'vcc2020' } });
    await expectReadableItems(items, tones);
  });

  it('rejects an LA-shaped row in the DF keys with file and line', async () => {
    const root = tempDir();
    buildTree(root, { text: { [keys]: 'LA_0009 DF_E_1 alaw ita_tx A07 spoof notrim eval\n' }, audio: ['ASVspoof2021_DF_eval/flac/DF_E_1.flac'] });
    expect(await failureOf(loadDataset({ name: 'df21', adapter: 'asvspoof2021-df', root }))).toContain(':1: expected 13 space-separated columns');
  });
});
