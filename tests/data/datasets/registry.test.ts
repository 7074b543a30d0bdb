import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { adapterNames, loadDataset, loadDatasets, seededSplit, summarise } from '../../../src/data/datasets/index.js';
import type { DatasetItem } from '../../../src/data/item.js';
import { tempDir } from '../../helpers/tmp.js';
import { buildTree, failureOf } from './tree.js';

describe('dataset registry', () => {
  it('knows every adapter the sweep schema allows', async () => {
    const { datasetSpecSchema } = await import('../../../src/config/schema/data.js');
    expect([...adapterNames()].sort()).toEqual([...datasetSpecSchema.properties.adapter.enum].sort());
    expect(adapterNames()).toHaveLength(14);
  });

  it('suggests the adapter meant, and asks for a root where one is needed', async () => {
    expect(await failureOf(loadDataset({ name: 'x', adapter: 'fake-or-reel', root: '/' }))).toContain('unknown adapter "fake-or-reel". Did you mean "fake-or-real"?');
    const noRoot = await failureOf(loadDataset({ name: 'itw', adapter: 'in-the-wild' }));
    expect(noRoot).toContain('dataset "itw" (in-the-wild): no root given. Set datasets.itw.root');
  });

  it('refuses a dataset named twice and a dataset without items', async () => {
    const root = tempDir();
    buildTree(root, { text: { 'manifest.csv': 'path,label\n' } });
    expect(await failureOf(loadDataset({ name: 'empty', adapter: 'csv', root }))).toContain('found no items');
    const manifest = tempDir();
    buildTree(manifest, { text: { 'manifest.csv': 'path,label,split\na.wav,spoof,eval\n' }, audio: ['a.wav'] });
    const spec = { name: 'm', adapter: 'csv', root: manifest };
    expect(await failureOf(loadDatasets([spec, spec]))).toContain('dataset "m" is named twice');
    const loaded = await loadDatasets([spec, { ...spec, name: 'n', options: { domain: 'other' } }]);
    expect(loaded.get('n')?.[0]).toMatchObject({ dataset: 'n', domain: 'other' });
    expect(summarise(loaded.get('m') ?? [])).toEqual([{ domain: 'm', split: 'eval', bonafide: 0, spoof: 1 }]);
  });
});

describe('seeded split', () => {
  const items = (n: number): Array<Omit<DatasetItem, 'split'>> =>
    Array.from({ length: n }, (_, i) => ({ id: `item-${i}`, path: join('/x', `${i}.wav`), label: i % 3 === 0 ? 'bonafide' : 'spoof', dataset: 'd', domain: 'd', speaker: `s${i % 7}` }));

  it('keeps the fractions within each label and does not depend on the input order', () => {
    const list = items(300);
    const split = seededSplit(list, { seed: 3, fractions: [0.7, 0.1, 0.2], groupBy: 'item' }, 'test');
    for (const label of ['bonafide', 'spoof'] as const) {
      const of = split.filter((i) => i.label === label);
      expect(of.filter((i) => i.split === 'train').length).toBe(Math.round(of.length * 0.7));
      expect(of.filter((i) => i.split === 'eval').length).toBe(of.length - Math.round(of.length * 0.8));
    }
    const reversed = seededSplit([...list].reverse(), { seed: 3, fractions: [0.7, 0.1, 0.2], groupBy: 'item' }, 'test');
    const splitOf = new Map(split.map((i) => [i.id, i.split]));
    expect(reversed.every((i) => splitOf.get(i.id) === i.split)).toBe(true);
  });

  it('adding items to one label leaves the other label\'s split alone', () => {
    const list = items(90);
    const more = [...list, ...items(120).slice(90).filter((i) => i.label === 'spoof')];
    const a = seededSplit(list, { seed: 0, fractions: [0.6, 0.2, 0.2], groupBy: 'item' }, 'test');
    const b = seededSplit(more, { seed: 0, fractions: [0.6, 0.2, 0.2], groupBy: 'item' }, 'test');
    const splitOf = new Map(b.map((i) => [i.id, i.split]));
    expect(a.filter((i) => i.label === 'bonafide').every((i) => splitOf.get(i.id) === i.split)).toBe(true);
  });

  it('speaker grouping keeps every speaker in one split', () => {
    const split = seededSplit(items(140), { seed: 1, fractions: [0.6, 0.2, 0.2], groupBy: 'speaker' }, 'test');
    for (let s = 0; s < 7; s++) {
      for (const label of ['bonafide', 'spoof'] as const) {
        expect(new Set(split.filter((i) => i.speaker === `s${s}` && i.label === label).map((i) => i.split)).size).toBe(1);
      }
    }
  });
});
