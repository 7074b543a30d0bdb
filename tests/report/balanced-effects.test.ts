import { describe, expect, it } from 'vitest';
import { balancedEffect } from '../../src/report/data/balanced-effects.js';
import { mainEffectsTable, textTableToMarkdown } from '../../src/report/tables/statistics-tables.js';
import type { Configuration, ReportData, ReportTrial, TrialScores } from '../../src/report/data/types.js';
import type { Json } from '../../src/search/paths.js';
import { canonicalJson } from '../../src/util/hash.js';

/**
 * A results table with known additive effects on the known-set EER:
 * transformer gate -2 points, pre-training off +6 points, top-k +1 point (k=2 a further -1),
 * and a seed offset shared by every configuration of that seed (it cancels in paired differences).
 */
const effect = { transformer: -0.02, noPretrain: 0.06, topk: 0.01, k2: -0.01 };
const seedOffset = [0, 0.013, -0.007];

function truth(p: Record<string, Json>, seed: number): number {
  let eer = 0.2 + (seedOffset[seed] as number);
  if (p['gate.type'] === 'transformer') eer += effect.transformer;
  if (p['pretrain.enabled'] === false) eer += effect.noPretrain;
  if (p['routing.mode'] === 'topk') eer += effect.topk + (p['routing.k'] === 2 ? effect.k2 : 0);
  return eer;
}

function reportData(points: Array<Record<string, Json>>): ReportData {
  const trials: ReportTrial[] = [];
  const configurations: Configuration[] = [];
  const scores = new Map<string, TrialScores>();
  points.forEach((params, c) => {
    const key = canonicalJson({ kind: 'moe', ...params });
    const own: ReportTrial[] = [0, 1, 2].map((seed) => {
      const id = `t${c}-${seed}`;
      scores.set(id, new Map([['k1', { eer: truth(params, seed) }], ['__known__', { eer: truth(params, seed) }]]));
      return { id, kind: 'moe', state: 'done', params: { ...params, seed }, view: { ...params, seed }, seed, configuration: key };
    });
    trials.push(...own);
    configurations.push({ key, label: `c${c}`, words: [], slug: `c${c}`, kind: 'moe', params, trials: own });
  });
  const factors = ['gate.type', 'pretrain.enabled', 'routing.mode', 'routing.k'].map((path) => ({ path, levels: [...new Set(points.map((p) => p[path]).filter((v) => v !== undefined))] as Json[] }));
  return {
    sweep: { name: 'synthetic', file: 'synthetic.json', description: null },
    progress: { done: trials.length, total: trials.length },
    factors,
    trials,
    configurations,
    evaluationSets: [{ name: 'k1', group: 'known' }],
    scores,
    gateWeights: [],
    epochs: [],
  } as unknown as ReportData;
}

function grid(): Array<Record<string, Json>> {
  const points: Array<Record<string, Json>> = [];
  for (const gate of ['mlp', 'transformer'])
    for (const pretrain of [true, false])
      for (const routing of [{ 'routing.mode': 'soft' }, { 'routing.mode': 'topk', 'routing.k': 1 }, { 'routing.mode': 'topk', 'routing.k': 2 }] as Array<Record<string, Json>>)
        points.push({ 'gate.type': gate, 'pretrain.enabled': pretrain, ...routing });
  return points;
}

describe('balanced main effects', () => {
  it('recover the known effects on a crossed grid, with intervals and p-values', () => {
    const data = reportData(grid());
    const gate = balancedEffect(data, 'gate.type', '__known__', 'eer');
    expect(gate?.estimate).toBe('balanced');
    expect(gate?.cells).toBe(6);
    expect(gate?.differences[0]?.meanDiff).toBeCloseTo(effect.transformer, 12);
    // Every unit's difference is exactly the effect: the interval collapses onto it.
    expect(gate?.differences[0]?.interval.lower).toBeCloseTo(effect.transformer, 12);
    expect(gate?.differences[0]?.interval.upper).toBeCloseTo(effect.transformer, 12);
    // 18 units, all of one sign: only the all-plus and all-minus patterns reach the observed sum.
    expect(gate?.differences[0]?.pValue).toBeLessThan(0.001);
    const pretrain = balancedEffect(data, 'pretrain.enabled', '__known__', 'eer');
    expect(pretrain?.differences[0]?.meanDiff).toBeCloseTo(effect.noPretrain, 12);
    // routing.k exists only under top-k: nested in routing.mode, top-k averages its two k.
    const routing = balancedEffect(data, 'routing.mode', '__known__', 'eer');
    expect(routing?.estimate).toBe('balanced');
    expect(routing?.cells).toBe(4);
    expect(routing?.differences[0]?.meanDiff).toBeCloseTo(effect.topk + effect.k2 / 2, 12);
    // routing.k compared within top-k: a crossed sub-grid of its own.
    const k = balancedEffect(data, 'routing.k', '__known__', 'eer');
    expect(k?.estimate).toBe('balanced');
    expect(k?.differences[0]?.meanDiff).toBeCloseTo(effect.k2, 12);
  });

  it('is unbiased on an unbalanced grid where the marginal mean is not', () => {
    // The transformer never ran without pre-training: its marginal mean misses the +6 points
    // of the no-pre-training cells that the MLP's includes.
    const data = reportData(grid().filter((p) => !(p['gate.type'] === 'transformer' && p['pretrain.enabled'] === false)));
    const gate = balancedEffect(data, 'gate.type', '__known__', 'eer');
    expect(gate?.estimate).toBe('balanced');
    expect(gate).toMatchObject({ cells: 3, of: 6 });
    expect(gate?.differences[0]?.meanDiff).toBeCloseTo(effect.transformer, 12);
    const [mlp, transformer] = gate?.levels ?? [];
    expect((transformer?.summary.mean ?? 0) - (mlp?.summary.mean ?? 0)).toBeCloseTo(effect.transformer, 12);
    // The marginal means, computed directly: biased by half the pre-training effect.
    const marginal = (gateType: string) => {
      const values = data.trials.filter((t) => t.params['gate.type'] === gateType).map((t) => data.scores.get(t.id)?.get('__known__')?.['eer'] as number);
      return values.reduce((s, v) => s + v, 0) / values.length;
    };
    expect(marginal('transformer') - marginal('mlp')).toBeCloseTo(effect.transformer - effect.noPretrain / 2, 12);
  });

  it('falls back to marginal means, marked as such, where no cell ran every level', () => {
    // Pre-training off only with the MLP and soft routing, on only with the transformer: nothing crossed.
    const points: Array<Record<string, Json>> = [
      { 'gate.type': 'mlp', 'pretrain.enabled': false, 'routing.mode': 'soft' },
      { 'gate.type': 'transformer', 'pretrain.enabled': true, 'routing.mode': 'soft' },
    ];
    const data = reportData(points);
    const pretrain = balancedEffect(data, 'pretrain.enabled', '__known__', 'eer');
    expect(pretrain?.estimate).toBe('marginal');
    expect(pretrain?.cells).toBe(0);
    // The marginal difference mixes the gate's effect into pre-training's.
    expect(pretrain?.differences[0]?.meanDiff).toBeCloseTo(-effect.noPretrain + effect.transformer, 12);
  });
});

describe('the main-effects table', () => {
  it('labels balanced and marginal rows, and pairs on items where every trial has per-item scores', async () => {
    const data = reportData(grid().filter((p) => !(p['gate.type'] === 'transformer' && p['pretrain.enabled'] === false)));
    const plain = await mainEffectsTable(data);
    const gate = plain.rows.find((r) => r[0] === 'gate.type');
    expect(gate?.slice(0, 5)).toEqual(['gate.type', 'transformer − mlp', 'balanced, 3 of 6 cells', '9', '(cell, seed)']);
    // Known column: −2.00 points exactly, every unit the same.
    expect(gate?.[6]).toMatch(/^−2\.00 \[−2\.00, −2\.00\], p = /);
    // Per-item scores for every trial: the transformer's clips separate, the MLP's overlap on one pair.
    const source = async (trialId: string) => {
      const trial = data.trials.find((t) => t.id === trialId);
      const good = trial?.params['gate.type'] === 'transformer';
      return { ids: ['b0', 'b1', 'b2', 's0', 's1', 's2'], scores: good ? [0.9, 0.8, 0.7, 0.1, 0.2, 0.3] : [0.9, 0.8, 0.2, 0.1, 0.3, 0.75], bonafide: [1, 1, 1, 0, 0, 0] };
    };
    const items = await mainEffectsTable(data, source);
    expect(items.rows.find((r) => r[0] === 'gate.type')?.[4]).toBe('(cell, seed) and items');
    // Marginal rows never pair on items: they have no cells.
    const marginal = await mainEffectsTable(reportData([
      { 'gate.type': 'mlp', 'pretrain.enabled': false, 'routing.mode': 'soft' },
      { 'gate.type': 'transformer', 'pretrain.enabled': true, 'routing.mode': 'soft' },
    ]), source);
    expect(marginal.rows.find((r) => r[0] === 'pretrain.enabled')?.slice(2, 5)).toEqual(['marginal means (no crossed cell)', '3', 'seed']);
    expect(textTableToMarkdown(items)).toMatch(/^\*\*Main effects on EER \(percentage points\), synthetic\.\*\*/);
  });
});
