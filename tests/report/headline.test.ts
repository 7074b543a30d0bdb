import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headlineComparisons } from '../../src/report/compare/headline.js';
import type { ItemScoreSource } from '../../src/report/compare/item-pairs.js';
import type { Configuration, ReportData, ReportTrial, TrialScores } from '../../src/report/data/types.js';
import type { Json } from '../../src/search/paths.js';
import { canonicalJson } from '../../src/util/hash.js';
import { runCli } from '../helpers/cli.js';
import { fixtureStore, type FixtureStore } from './helpers/fixture.js';

interface Spec {
  kind: string;
  params: Record<string, Json>;
  /** Known and unknown EER per seed. */
  known: number[];
  unknown: number[];
}

function reportData(specs: Spec[]): ReportData {
  const trials: ReportTrial[] = [];
  const scores = new Map<string, TrialScores>();
  const configurations: Configuration[] = specs.map((spec, c) => {
    const params = { kind: spec.kind, ...spec.params };
    const own = spec.known.map((known, seed): ReportTrial => {
      const id = `c${c}s${seed}`;
      const unknown = spec.unknown[seed] as number;
      scores.set(id, new Map([['k1', { eer: known }], ['u1', { eer: unknown }], ['__known__', { eer: known }], ['__unknown__', { eer: unknown }]]));
      return { id, kind: spec.kind, state: 'done', params: { ...params, seed }, view: {}, seed, configuration: canonicalJson(params) };
    });
    trials.push(...own);
    return { key: canonicalJson(params), label: `${spec.kind} ${Object.values(spec.params).join(' ')}`.trim(), words: [], slug: `c${c}`, kind: spec.kind, params, trials: own };
  });
  return {
    sweep: { name: 'headline', file: 'headline.json', description: null },
    factors: [],
    trials,
    configurations,
    evaluationSets: [{ name: 'k1', group: 'known' }, { name: 'u1', group: 'unknown' }],
    scores,
    gateWeights: [],
    epochs: [],
  } as unknown as ReportData;
}

describe('headline comparisons', () => {
  const specs: Spec[] = [
    { kind: 'moe', params: { 'gate.type': 'mlp' }, known: [0.05, 0.06, 0.04], unknown: [0.2, 0.22, 0.21] },
    { kind: 'moe', params: { 'gate.type': 'transformer' }, known: [0.08, 0.07, 0.09], unknown: [0.1, 0.11, 0.12] },
    // Best on the known sets, worse on the unknown ones ...
    { kind: 'single', params: { expertSet: 'lcnn' }, known: [0.03, 0.04, 0.03], unknown: [0.3, 0.31, 0.29] },
    // ... than this one, which a choice that peeked at the unknown sets would take.
    { kind: 'single', params: { expertSet: 'resnet' }, known: [0.1, 0.12, 0.11], unknown: [0.15, 0.16, 0.14] },
    { kind: 'gate-ablated', params: { 'gate.type': 'mlp' }, known: [0.07, 0.08, 0.06], unknown: [0.25, 0.24, 0.26] },
  ];

  it('MoE vs best single expert: both sides chosen on the known sets only; gate vs gate-ablated paired with the equal mixture', async () => {
    const headlines = await headlineComparisons(reportData(specs), null);
    const [single, gate] = headlines;
    expect(single).toMatchObject({ question: 'moe-vs-best-single', a: 'moe mlp', b: 'single lcnn' });
    expect(single?.chosen).toMatch(/lowest mean EER over seeds on the known sets/);
    const unknown = single?.rows.find((r) => r.group === 'unknown');
    expect(unknown).toMatchObject({ pairing: 'seed and set', pairs: 3, seeds: [0, 1, 2], sets: ['u1'] });
    expect(unknown?.meanDiff).toBeCloseTo((0.2 + 0.22 + 0.21 - 0.3 - 0.31 - 0.29) / 3, 12);
    expect(unknown?.interval.upper).toBeLessThan(0);
    expect(single?.rows.map((r) => r.group)).toEqual(['unknown', 'known']);
    expect(gate).toMatchObject({ question: 'gate-vs-gate-ablated', a: 'moe mlp', b: 'gate-ablated mlp' });
    expect(gate?.rows.find((r) => r.group === 'known')?.meanDiff).toBeCloseTo(-0.02, 12);
  });

  it('pairs on items where both sides have per-item scores for every pair, with a p-value', async () => {
    // Items on which A (the mixture) ranks every bona fide clip above every spoof and B errs on one of each class.
    const source: ItemScoreSource = async (trialId) => {
      const isA = trialId.startsWith('c0');
      const bona = isA ? [0.9, 0.8, 0.7, 0.6] : [0.9, 0.8, 0.7, 0.1];
      const spoof = isA ? [0.1, 0.2, 0.3, 0.4] : [0.1, 0.2, 0.3, 0.95];
      return { ids: ['b0', 'b1', 'b2', 'b3', 's0', 's1', 's2', 's3'], scores: [...bona, ...spoof], bonafide: [1, 1, 1, 1, 0, 0, 0, 0] };
    };
    const data = reportData(specs.slice(0, 3));
    const [single] = await headlineComparisons(data, source, { iterations: 2000 });
    const row = single?.rows.find((r) => r.group === 'unknown');
    expect(row).toMatchObject({ pairing: 'items', items: 3 * 8 });
    expect(row?.pValue).toBeGreaterThan(0);
    expect(row?.pValue).toBeLessThanOrEqual(1);
    // Without item scores for one side, the (seed, set) pairing stands.
    const partial: ItemScoreSource = async (trialId, dataset) => (trialId.startsWith('c2') ? null : source(trialId, dataset));
    const [fallback] = await headlineComparisons(data, partial);
    expect(fallback?.rows[0]?.pairing).toBe('seed and set');
  });

  it('leaves out the questions the sweep cannot ask', async () => {
    expect(await headlineComparisons(reportData(specs.slice(0, 2)), null)).toEqual([]);
  });
});

describe('ablate compare --headline', () => {
  let store: FixtureStore;
  beforeAll(() => {
    store = fixtureStore();
  });
  afterAll(() => store?.remove());

  it('prints the headline, and asks for --a and --b or --headline', () => {
    const result = runCli(['compare', store.sweep, '--results', store.results, '--headline']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/MoE vs best single expert\*\*: A = moe .+, B = single /);
    expect(result.stdout).toMatch(/Unknown \(synth:d5\): EER A [\d.]+ %, B [\d.]+ %; A − B [+−]?[\d.]+ pp, 95 % interval \[.+\] pp, p = [\d.e-]+/);
    const json = runCli(['compare', store.sweep, '--results', store.results, '--headline', '--json']);
    expect((JSON.parse(json.stdout) as Array<{ question: string }>).map((h) => h.question)).toEqual(['moe-vs-best-single']);
    const neither = runCli(['compare', store.sweep, '--results', store.results, '--a', 'moe mlp soft']);
    expect(neither.status).toBe(2);
    expect(neither.stderr).toMatch(/give both --a and --b .* or --headline/);
    const both = runCli(['compare', store.sweep, '--results', store.results, '--headline', '--a', 'moe mlp soft']);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--headline chooses its own sides/);
  });
});
