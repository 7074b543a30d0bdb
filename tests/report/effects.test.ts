import { describe, expect, it } from 'vitest';
import { uncrossedFactors } from '../../src/report/data/effects.js';
import type { ReportData, ReportTrial } from '../../src/report/data/types.js';
import type { Json } from '../../src/search/paths.js';

function trial(id: number, params: Record<string, Json>): ReportTrial {
  return { id: String(id), kind: String(params['kind']), state: 'done', params, view: params, seed: Number(params['seed']), configuration: '' } as ReportTrial;
}

/** A grid like mile-grid's: mixtures cross gate type and pre-training; a baseline has neither. */
function data(): ReportData {
  const trials: ReportTrial[] = [];
  let id = 0;
  for (const seed of [0, 1]) {
    for (const gate of ['mlp', 'transformer']) for (const pretrain of [true, false]) trials.push(trial(id++, { kind: 'moe', 'gate.type': gate, 'pretrain.enabled': pretrain, seed }));
    trials.push(trial(id++, { kind: 'single', seed }));
  }
  const factors = ['kind', 'gate.type', 'pretrain.enabled', 'seed'].map((path) => ({ path, levels: [] }));
  return { trials, factors } as unknown as ReportData;
}

describe('uncrossedFactors', () => {
  it('names the factors whose levels differ between the levels of a factor, and none for a crossed one', () => {
    expect(uncrossedFactors(data(), 'kind')).toEqual(['gate.type', 'pretrain.enabled']);
    expect(uncrossedFactors(data(), 'gate.type')).toEqual([]);
    expect(uncrossedFactors(data(), 'pretrain.enabled')).toEqual([]);
  });

  it('sees a factor that runs only with one level of another', () => {
    const unbalanced = data();
    // Drop the transformer trials without pre-training: transformer now runs only with it.
    unbalanced.trials = unbalanced.trials.filter((t) => !(t.params['gate.type'] === 'transformer' && t.params['pretrain.enabled'] === false));
    expect(uncrossedFactors(unbalanced, 'gate.type')).toEqual(['pretrain.enabled']);
    expect(uncrossedFactors(unbalanced, 'pretrain.enabled')).toEqual(['gate.type']);
  });
});
