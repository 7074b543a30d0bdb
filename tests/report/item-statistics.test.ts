import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PairedComparison } from '../../src/report/compare/compare.js';
import { itemLevelComparison, type ItemScoreSource } from '../../src/report/compare/item-pairs.js';
import { configurationIntervals } from '../../src/report/data/item-intervals.js';
import type { Configuration, ReportData, ReportTrial, TrialScores } from '../../src/report/data/types.js';
import { repoRoot } from '../helpers/cli.js';

/** Written by scripts/paired-bootstrap-reference.py (numpy + scikit-learn, 100 000 replicates). */
interface Reference {
  iterations: number;
  seeds: number;
  sets: Record<string, { labels: number[]; ids: string[]; A: number[][]; B: number[][] }>;
  pairedItems: { set: string; meanDiff: number; lower: number; upper: number; pValue: number };
  intervalsA: Record<string, { mean: number; lower: number; upper: number }>;
}
const reference = JSON.parse(readFileSync(join(repoRoot, 'tests/fixtures/metrics/paired-bootstrap.json'), 'utf8')) as Reference;

/** Trial ids "A0".."B2": system and seed. Items come in the fixture's order, shuffled for B to show pairing goes by id. */
const source: ItemScoreSource = async (trialId, dataset) => {
  const set = reference.sets[dataset];
  if (!set) return null;
  const system = trialId[0] as 'A' | 'B';
  const seed = Number(trialId.slice(1));
  const order = set.ids.map((_, i) => i);
  if (system === 'B') order.reverse();
  return { ids: order.map((i) => set.ids[i] as string), scores: order.map((i) => set[system][seed]?.[i] as number), bonafide: order.map((i) => set.labels[i] as number) };
};

const seeds = [...Array(reference.seeds).keys()];

describe('item-level statistics against an independent reference (numpy, scikit-learn)', () => {
  it('the item-paired comparison: mean difference, 95 % interval and bootstrap p-value', async () => {
    const comparison = {
      metric: 'eer',
      pairs: seeds.map((seed) => ({ configurationA: 'A', configurationB: 'B', trialA: `A${seed}`, trialB: `B${seed}`, seed, dataset: 's1', group: 'known' })),
    } as unknown as PairedComparison;
    const items = await itemLevelComparison(comparison, source, { iterations: 20_000, seed: 1 });
    const expected = reference.pairedItems;
    expect(items).toMatchObject({ pairs: 3, of: 3, items: 3 * reference.sets['s1']!.ids.length });
    expect(items?.meanDiff).toBeCloseTo(expected.meanDiff, 12);
    // Monte Carlo error of 20 000 vs 100 000 replicates: well under a point of EER.
    expect(Math.abs((items?.interval.lower ?? NaN) - expected.lower)).toBeLessThan(0.006);
    expect(Math.abs((items?.interval.upper ?? NaN) - expected.upper)).toBeLessThan(0.006);
    expect(Math.abs((items?.pValue ?? NaN) - expected.pValue)).toBeLessThan(0.02);
  });

  it("a configuration's interval over items and seeds, per set and for the mean of the sets", async () => {
    const trials: ReportTrial[] = seeds.map((seed) => ({ id: `A${seed}`, kind: 'moe', state: 'done', params: { seed }, view: {}, seed, configuration: 'A' }));
    const configuration: Configuration = { key: 'A', label: 'A', words: ['A'], slug: 'a', kind: 'moe', params: {}, trials };
    const data = {
      configurations: [configuration],
      trials,
      evaluationSets: [{ name: 's1', group: 'known' }, { name: 's2', group: 'unknown' }],
      scores: new Map<string, TrialScores>(trials.map((t) => [t.id, new Map()])),
    } as unknown as ReportData;
    const intervals = (await configurationIntervals(data, source, { iterations: 20_000, seed: 2 })).get('A');
    for (const [key, expected] of Object.entries(reference.intervalsA)) {
      const got = intervals?.get(key);
      expect(got?.mean, key).toBeCloseTo(expected.mean, 12);
      expect(Math.abs((got?.lower ?? NaN) - expected.lower), key).toBeLessThan(0.006);
      expect(Math.abs((got?.upper ?? NaN) - expected.upper), key).toBeLessThan(0.006);
    }
    // The groups: known is s1 alone, unknown s2 alone.
    expect(intervals?.get('__known__')?.mean).toBeCloseTo(reference.intervalsA['s1']!.mean, 12);
    expect(intervals?.get('__unknown__')?.upper).toBeCloseTo(intervals?.get('s2')?.upper as number, 12);
    expect(intervals?.get('s1')).toMatchObject({ seeds: 3, items: 60 });
  });

  it('with the seeds held, the interval is what the clips alone leave: none for systems that rank every resample alike', async () => {
    // Seed 0 separates the classes perfectly, seed 1 ranks them perfectly backwards: any draw
    // of clips gives each seed the same EER, so only the draw of seeds moves the mean.
    const labels = Array.from({ length: 80 }, (_, i) => (i < 40 ? 1 : 0));
    const held: ItemScoreSource = async (trialId, dataset) => {
      if (dataset !== 'u') return null;
      const inverted = trialId === 'C1';
      return { ids: labels.map((_, i) => `item${i}`), scores: labels.map((l, i) => (l === 1) !== inverted ? 1 + i / 100 : -1 - i / 100), bonafide: labels };
    };
    const trials: ReportTrial[] = [0, 1].map((seed) => ({ id: `C${seed}`, kind: 'moe', state: 'done', params: { seed }, view: {}, seed, configuration: 'C' }));
    const configuration: Configuration = { key: 'C', label: 'C', words: ['C'], slug: 'c', kind: 'moe', params: {}, trials };
    const data = {
      configurations: [configuration],
      trials,
      evaluationSets: [{ name: 'u', group: 'unknown' }],
      scores: new Map<string, TrialScores>(trials.map((t) => [t.id, new Map()])),
    } as unknown as ReportData;
    const both = (await configurationIntervals(data, held, { iterations: 2000, seed: 3 })).get('C')?.get('__unknown__');
    const clips = (await configurationIntervals(data, held, { iterations: 2000, seed: 3, resampleSeeds: false })).get('C')?.get('__unknown__');
    expect(clips?.mean).toBeCloseTo(both?.mean as number, 12);
    expect(clips?.lower).toBeCloseTo(clips?.mean as number, 12);
    expect(clips?.upper).toBeCloseTo(clips?.mean as number, 12);
    // Drawing the seeds: sometimes both perfect (0), sometimes both backwards.
    expect(both?.lower).toBeCloseTo(0, 12);
    expect((both?.upper ?? 0) - (both?.lower ?? 0)).toBeGreaterThan(0.9);
  });
});
