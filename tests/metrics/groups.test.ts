import { describe, expect, it } from 'vitest';
import { aggregateKnownUnknown, detectionMetrics } from '../../src/metrics/index.js';
import { breakdownSubsets } from '../../src/jobs/breakdown.js';
import { breakdownRowName, parseBreakdownRowName, parseGroupRowName, groupRowName } from '../../src/metrics/score-names.js';
import type { DatasetItem } from '../../src/data/item.js';
import { Rng } from '../../src/util/rng.js';
import { itemColumn, itemColumns } from '../../src/data/item-columns.js';

/** Two evaluation sets that share their bona fide clips (as two attacks' sets of one corpus do). */
function sharedBonafide() {
  const rng = new Rng(5);
  const bonafide = Array.from({ length: 50 }, (_, i) => ({ id: `real/${i}`, score: rng.normal() + 1 }));
  const spoofA = Array.from({ length: 50 }, (_, i) => ({ id: `a/${i}`, score: rng.normal() }));
  const spoofB = Array.from({ length: 80 }, (_, i) => ({ id: `b/${i}`, score: rng.normal() - 0.5 }));
  const set = (name: string, spoof: typeof spoofA) => {
    const all = [...bonafide.map((b) => ({ ...b, label: 1 })), ...spoof.map((s) => ({ ...s, label: 0 }))];
    return { name, known: true, scores: all.map((x) => x.score), labels: all.map((x) => x.label), ids: all.map((x) => x.id) };
  };
  return { bonafide, spoofA, spoofB, sets: [set('attack-a', spoofA), set('attack-b', spoofB)] };
}

describe('evaluation groups (issue 16)', () => {
  it('pool an item that two sets share once: the bona fide clips are not counted twice', () => {
    const { bonafide, spoofA, spoofB, sets } = sharedBonafide();
    const result = aggregateKnownUnknown(sets, { groups: { both: ['attack-a', 'attack-b'] } });
    const once = detectionMetrics([...bonafide, ...spoofA, ...spoofB].map((x) => x.score), [...bonafide.map(() => 1), ...spoofA.map(() => 0), ...spoofB.map(() => 0)]);
    expect(result.groups?.['both']?.pooled).toEqual(once);
    expect(result.known?.pooled).toEqual(once);
    expect(result.groups?.['both']?.pooled.nBonafide).toBe(50);
    // Without item ids there is nothing to recognise a shared item by: every row counts.
    const naive = aggregateKnownUnknown(sets.map(({ ids: _ids, ...rest }) => rest));
    expect(naive.known?.pooled.nBonafide).toBe(100);
  });

  it('give each named group the mean of its sets', () => {
    const { sets } = sharedBonafide();
    const result = aggregateKnownUnknown(sets, { groups: { a: ['attack-a'], both: ['attack-b', 'attack-a'] } });
    const [a, b] = result.perDataset.map((d) => d.metrics.eer) as [number, number];
    expect(result.groups?.['a']?.mean.eer).toBe(a);
    expect(result.groups?.['both']?.mean.eer).toBeCloseTo((a + b) / 2, 15);
    expect(() => aggregateKnownUnknown(sets, { groups: { bad: ['attack-c'] } })).toThrow(/group "bad" names "attack-c"/);
  });

  it('have row names that round-trip and never look like a selector', () => {
    expect(parseGroupRowName(groupRowName('seen'))).toBe('seen');
    expect(parseGroupRowName('__known__')).toBeNull();
    expect(parseBreakdownRowName(breakdownRowName('itw:x@eval', 'attack', 'A 07 [x]'))).toEqual({ set: 'itw:x@eval', column: 'attack', value: 'A 07 [x]' });
    expect(parseBreakdownRowName('synth:d1')).toBeNull();
  });
});

describe('breakdown subsets', () => {
  const item = (id: string, label: 'bonafide' | 'spoof', extra: Partial<DatasetItem> = {}): DatasetItem => ({ id, path: `/x/${id}.wav`, label, dataset: 'c', domain: 'c', split: 'eval', ...extra });
  const items = [
    item('r1', 'bonafide', { meta: { source: 'radio' } }),
    item('r2', 'bonafide', { meta: { source: 'web' } }),
    item('s1', 'spoof', { attack: 'A01', meta: { source: 'radio' } }),
    item('s2', 'spoof', { attack: 'A02', meta: { source: 'web' } }),
    item('s3', 'spoof', { attack: 'A01', meta: { source: 'web' } }),
    item('s4', 'spoof', { attack: 'A03', meta: { source: 'tv' } }),
  ];

  it('score an attack (only spoofed items carry it) against every bona fide item of the set', () => {
    expect(breakdownSubsets(items, ['attack'])).toEqual([
      { column: 'attack', value: 'A01', indices: [0, 1, 2, 4] },
      { column: 'attack', value: 'A02', indices: [0, 1, 3] },
      { column: 'attack', value: 'A03', indices: [0, 1, 5] },
    ]);
  });

  it('score a value both classes carry (a manifest column) on its own items; a spoof-only value against all bona fide items', () => {
    expect(breakdownSubsets(items, ['source'])).toEqual([
      { column: 'source', value: 'radio', indices: [0, 2] },
      { column: 'source', value: 'tv', indices: [0, 1, 5] },
      { column: 'source', value: 'web', indices: [1, 3, 4] },
    ]);
    // A bona-fide-only value has no EER: left out.
    expect(breakdownSubsets([...items, item('r3', 'bonafide', { meta: { source: 'studio' } })], ['source']).map((s) => s.value)).toEqual(['radio', 'tv', 'web']);
  });
});

describe('item columns', () => {
  it('read the adapters\' fields and a manifest\'s other columns; nothing for an empty or absent one', () => {
    const items: DatasetItem[] = [
      { id: 'a', path: '/a.wav', label: 'spoof', dataset: 'c', domain: 'tts', split: 'eval', attack: 'A07', meta: { engine: 'vits' } },
      { id: 'b', path: '/b.wav', label: 'bonafide', dataset: 'c', domain: 'human', split: 'eval', attack: '' },
    ];
    expect(itemColumn(items[0] as DatasetItem, 'attack')).toBe('A07');
    expect(itemColumn(items[1] as DatasetItem, 'attack')).toBeUndefined();
    expect(itemColumns(items, ['attack', 'engine', 'domain'])).toEqual(
      new Map([
        ['a', { attack: 'A07', engine: 'vits', domain: 'tts' }],
        ['b', { domain: 'human' }],
      ]),
    );
  });
});
