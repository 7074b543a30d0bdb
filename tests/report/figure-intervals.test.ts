import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/index.js';
import { loadReportData } from '../../src/report/data/load-report-data.js';
import type { ConfigurationIntervals } from '../../src/report/data/item-intervals.js';
import { knownUnknownFigure } from '../../src/report/figures/known-unknown.js';
import { paperComparisonFigure } from '../../src/report/figures/paper-comparison.js';
import { fixtureStore } from './helpers/fixture.js';

type Row = Record<string, unknown>;
const rowsOf = (figure: { spec: Record<string, unknown> } | null): Row[] => ((figure?.spec['data'] as { values: Row[] }).values);
const interval = (lower: number, upper: number) => ({ mean: (lower + upper) / 2, lower, upper, level: 0.95, seeds: 3, items: 100 });

describe('figures draw intervals over items and seeds where the report has them', () => {
  const store = fixtureStore();
  const db = openDatabase(store.results, { mustExist: true });
  const data = loadReportData(db, store.sweep);
  db.close();
  const [first, ...rest] = data.configurations;
  afterAll(() => store.remove());

  it('known vs unknown: the configurations with item intervals take them on both axes, the others keep the seed interval, and the subtitle says which', () => {
    const intervals: ConfigurationIntervals = new Map([[first!.key, new Map([['__known__', interval(0.01, 0.99)], ['__unknown__', interval(0.02, 0.98)]])]]);
    const seedOnly = rowsOf(knownUnknownFigure(data));
    const rows = rowsOf(knownUnknownFigure(data, undefined, intervals));
    const row = rows.find((r) => r['configuration'] === first!.label)!;
    expect(row).toMatchObject({ knownLower: 1, knownUpper: 99, unknownLower: 2, unknownUpper: 98, interval: 'items and seeds' });
    // The point stays the mean over seeds; only the lines change.
    expect(row['known']).toBe(seedOnly.find((r) => r['configuration'] === first!.label)!['known']);
    for (const other of rest) {
      const before = seedOnly.find((r) => r['configuration'] === other.label);
      expect(rows.find((r) => r['configuration'] === other.label)).toEqual({ ...before, interval: 'seeds' });
    }
    const subtitle = JSON.stringify(knownUnknownFigure(data, undefined, intervals)!.spec['title']);
    expect(subtitle).toContain('over items and seeds (over seeds where per-item scores are missing)');
    expect(JSON.stringify(knownUnknownFigure(data)!.spec['title'])).toContain('95 % bootstrap intervals over seeds;');
  });

  it('a configuration with only one axis covered keeps the seed interval on both, so its two lines mean the same', () => {
    const intervals: ConfigurationIntervals = new Map([[first!.key, new Map([['__known__', interval(0.01, 0.99)]])]]);
    const row = rowsOf(knownUnknownFigure(data, undefined, intervals)).find((r) => r['configuration'] === first!.label)!;
    expect(row['interval']).toBe('seeds');
    expect(row['knownLower']).not.toBe(1);
  });

  it('the paper comparison takes item intervals for EER and never for AUC', () => {
    const intervals: ConfigurationIntervals = new Map(data.configurations.map((c) => [c.key, new Map([['__known__', interval(0.01, 0.99)], ['__unknown__', interval(0.01, 0.99)], ['__all__', interval(0.01, 0.99)]])]));
    const eer = paperComparisonFigure(data, 'eer', 'single', intervals);
    const rows = rowsOf(eer);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r['lower'] === 1 && r['upper'] === 99 && r['interval'] === 'items and seeds')).toBe(true);
    expect(eer!.caption).toContain('interval over items and seeds;');
    expect(rowsOf(paperComparisonFigure(data, 'auc', 'single', intervals)).every((r) => r['interval'] === 'seeds')).toBe(true);
  });
});
