import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadDataset } from '../../../src/data/datasets/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { buildTree, expectReadableItems, failureOf } from './tree.js';

/** 20 bona fide and 30 spoofed clips by five speakers. */
function itw(root: string, metaOverride?: string): Map<string, number> {
  const rows = Array.from({ length: 50 }, (_, i) => `${i}.wav,Speaker ${i % 5},${i < 20 ? 'bona-fide' : 'spoof'}`);
  return buildTree(root, {
    text: { 'release_in_the_wild/meta.csv': metaOverride ?? `file,speaker,label\n${rows.join('\n')}\n` },
    audio: Array.from({ length: 50 }, (_, i) => `release_in_the_wild/${i}.wav`),
  });
}

describe('in-the-wild adapter', () => {
  it('reads meta.csv and splits 60/20/20 per label, deterministically from the seed', async () => {
    const root = tempDir();
    const tones = itw(root);
    const items = await loadDataset({ name: 'itw', adapter: 'in-the-wild', root });
    const count = (split: string, label: string): number => items.filter((i) => i.split === split && i.label === label).length;
    expect([count('train', 'bonafide'), count('dev', 'bonafide'), count('eval', 'bonafide')]).toEqual([12, 4, 4]);
    expect([count('train', 'spoof'), count('dev', 'spoof'), count('eval', 'spoof')]).toEqual([18, 6, 6]);
    expect(items[7]).toMatchObject({ id: '7', speaker: 'Speaker 2', label: 'bonafide', path: join(root, 'release_in_the_wild', '7.wav') });
    await expectReadableItems(items, tones);

    const again = await loadDataset({ name: 'other-name', adapter: 'in-the-wild', root: join(root, 'release_in_the_wild') });
    expect(again.map((i) => i.split)).toEqual(items.map((i) => i.split));
    const reseeded = await loadDataset({ name: 'itw', adapter: 'in-the-wild', root, options: { seed: 1 } });
    expect(reseeded.map((i) => i.split)).not.toEqual(items.map((i) => i.split));
    const custom = await loadDataset({ name: 'itw', adapter: 'in-the-wild', root, options: { fractions: [0.8, 0.1, 0.1] } });
    expect(custom.filter((i) => i.split === 'train')).toHaveLength(40);
  });

  it('keeps speakers apart with groupBy speaker', async () => {
    const root = tempDir();
    itw(root);
    const items = await loadDataset({ name: 'itw', adapter: 'in-the-wild', root, options: { groupBy: 'speaker' } });
    for (const speaker of new Set(items.map((i) => i.speaker))) {
      for (const label of ['bonafide', 'spoof']) {
        expect(new Set(items.filter((i) => i.speaker === speaker && i.label === label).map((i) => i.split)).size).toBe(1);
      }
    }
  });

  it('names meta.csv and the line for a bad label, a short row, a missing file; checks fractions', async () => {
    const root = tempDir();
    itw(root, 'file,speaker,label\n0.wav,A,bona-fide\n1.wav,B,bonafide\n');
    const meta = join(root, 'release_in_the_wild', 'meta.csv');
    expect(await failureOf(loadDataset({ name: 'itw', adapter: 'in-the-wild', root }))).toContain(`${meta}:3: label "bonafide" is not one of "bona-fide", "spoof"`);
    const short = tempDir();
    itw(short, 'file,speaker,label\n0.wav,A,spoof\n1.wav,spoof\n');
    expect(await failureOf(loadDataset({ name: 'itw', adapter: 'in-the-wild', root: short }))).toContain(
      'meta.csv:3: expected 3 comma-separated columns (file, speaker, label), found 2',
    );
    const missing = tempDir();
    itw(missing, 'file,speaker,label\n0.wav,A,spoof\n77.wav,B,spoof\n');
    expect(await failureOf(loadDataset({ name: 'itw', adapter: 'in-the-wild', root: missing }))).toContain(`meta.csv:3: lists ${join(missing, 'release_in_the_wild', '77.wav')}, which does not exist`);
    expect(await failureOf(loadDataset({ name: 'itw', adapter: 'in-the-wild', root, options: { fractions: [0.5, 0.2, 0.2] } }))).toContain('options.fractions must be three numbers');
    const header = tempDir();
    itw(header, 'name,speaker,label\n0.wav,A,spoof\n');
    expect(await failureOf(loadDataset({ name: 'itw', adapter: 'in-the-wild', root: header }))).toContain('meta.csv:1: the header has no column "file"');
  });
});
