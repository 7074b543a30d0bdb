import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { expandFile, minimalBase, writeSweep } from './sweep-fixtures.js';
import { trialView } from '../../src/search/index.js';

function expand(sweep: Record<string, unknown>) {
  return expandFile(writeSweep(tempDir(), { name: 't', ...sweep }));
}

function values(space: ReturnType<typeof expand>, path: string): unknown[] {
  return space.trials.map((t) => trialView(t.config)[path]);
}

describe('grid expansion', () => {
  it('is the product of the axes times the seeds', () => {
    const space = expand({
      base: minimalBase(),
      grid: { 'gate.type': ['mlp', 'transformer'], 'moe.loss': ['shared', 'separate'], 'pretrain.enabled': [true, false] },
      seeds: [1, 2, 3],
    });
    expect(space.trials).toHaveLength(2 * 2 * 2 * 3);
    expect(new Set(values(space, 'seed'))).toEqual(new Set([1, 2, 3]));
    expect(space.stats.points).toBe(24);
  });

  it('`repeats` is shorthand for seeds 0..n-1, and the default is one seed 0', () => {
    expect(new Set(values(expand({ base: minimalBase(), repeats: 4 }), 'seed'))).toEqual(new Set([0, 1, 2, 3]));
    expect(values(expand({ base: minimalBase() }), 'seed')).toEqual([0]);
  });

  it('merges object levels into the base (an axis over `routing` keeps base routing fields)', () => {
    const space = expand({
      base: minimalBase({ experts: [{ arch: 'lcnn', features: { kind: 'mel' } }, { arch: 'resnet', features: { kind: 'mel' } }], routing: { balance: 'cv2', balanceWeight: 0.05 } }),
      grid: { routing: [{ mode: 'soft' }, { mode: 'topk', k: 1 }, { mode: 'topk', k: 2 }] },
    });
    expect(space.trials).toHaveLength(3);
    for (const trial of space.trials) expect(trial.config.routing?.balanceWeight).toBe(0.05);
  });

  it('a conditional axis multiplies only the points where its `when` holds', () => {
    const space = expand({
      base: minimalBase({ experts: [{ arch: 'lcnn', features: { kind: 'mel' } }, { arch: 'resnet', features: { kind: 'mel' } }, { arch: 'resnet', features: { kind: 'logspec' } }] }),
      grid: {
        'routing.mode': ['soft', 'topk', 'noisy-topk'],
        'routing.k': { values: [1, 2, 3], when: { 'routing.mode': ['topk', 'noisy-topk'] } },
      },
    });
    // soft: 1, topk: 3, noisy-topk: 3.
    expect(space.trials).toHaveLength(7);
    expect(space.trials.filter((t) => t.config.routing?.mode === 'soft').every((t) => t.config.routing?.k === undefined)).toBe(true);
  });

  it('a field that does not apply never multiplies trials, even when swept without `when`', () => {
    const space = expand({
      base: minimalBase({ experts: [{ arch: 'lcnn', features: { kind: 'mel' } }, { arch: 'resnet', features: { kind: 'mel' } }] }),
      grid: { 'routing.mode': ['soft', 'topk'], 'routing.k': [1, 2], 'moe.expertLossWeight': [0.1, 0.5] },
    });
    // soft ignores k; shared loss (the default) ignores the per-expert loss weight.
    expect(space.trials).toHaveLength(1 + 2);
    expect(space.stats.duplicates).toBe(8 - 3);
  });

  it('per-domain pre-training applies only to MELE', () => {
    const space = expand({
      base: minimalBase(),
      grid: { localisation: ['mile', 'mele'] },
    });
    const mile = space.trials.find((t) => t.config.localisation === 'mile');
    const mele = space.trials.find((t) => t.config.localisation === 'mele');
    expect(mile?.config.experts).toHaveLength(1);
    expect(mile?.config.experts[0]?.pretrainDomains).toBeUndefined();
    expect(mele?.config.experts.map((e) => e.pretrainDomains)).toEqual([['s:d1'], ['s:d2']]);
  });

  it('includes add points beyond the grid, once per seed', () => {
    const space = expand({
      base: minimalBase({ experts: [{ arch: 'lcnn', features: { kind: 'mel' } }, { arch: 'resnet', features: { kind: 'mel' } }] }),
      grid: { 'gate.type': ['mlp', 'transformer'] },
      include: [{ kind: 'ensemble' }, { kind: 'single' }],
      seeds: [0, 1],
    });
    // 2 gates x 2 seeds + ensemble x 2 seeds + one single per expert x 2 seeds.
    expect(space.trials).toHaveLength(4 + 2 + 4);
    const kinds = values(space, 'kind');
    expect(kinds.filter((k) => k === 'single')).toHaveLength(4);
  });

  it('excludes drop matching points; lists match any of their values', () => {
    const space = expand({
      base: minimalBase({ experts: [{ arch: 'lcnn', features: { kind: 'mel' } }, { arch: 'resnet', features: { kind: 'mel' } }] }),
      grid: { 'gate.type': ['mlp', 'transformer'], 'moe.loss': ['shared', 'separate'], 'pretrain.enabled': [true, false] },
      exclude: [{ 'gate.type': 'transformer', 'moe.loss': ['separate'] }, { 'pretrain.enabled': false, 'gate.type': 'mlp', 'moe.loss': 'shared' }],
    });
    expect(space.trials).toHaveLength(8 - 2 - 1);
    expect(space.stats.excluded).toBe(3);
    expect(space.trials.some((t) => t.config.gate?.type === 'transformer' && t.config.moe?.loss === 'separate')).toBe(false);
  });

  it('constraints drop trials that violate them and do not apply where a field is absent', () => {
    const space = expand({
      base: minimalBase({ experts: { pool: [{ arch: 'lcnn', features: { kind: 'mel' } }, { arch: 'resnet', features: { kind: 'mel' } }, { arch: 'resnet', features: { kind: 'logspec' } }], count: [1, 2, 3] } }),
      grid: { 'routing.mode': ['soft', 'topk'], 'routing.k': [2] },
      constraints: ['routing.k < numExperts'],
    });
    // soft: 3 counts (k absent -> constraint n/a); topk k=2: only 3 experts satisfy 2 < n (count 1 breaks the built-in k <= n rule).
    expect(space.trials).toHaveLength(3 + 1);
    expect(space.stats.constraintViolations['routing.k < numExperts']).toBe(1);
    expect(space.stats.ruleViolations['top-k routing needs k <= the number of experts']).toBe(1);
  });

  it('expert pools: prefix adds experts one at a time, subsets take every combination', () => {
    const pool = [
      { arch: 'lcnn', features: { kind: 'mel' } },
      { arch: 'resnet', features: { kind: 'mel' } },
      { arch: 'resnet', features: { kind: 'logspec' } },
      { arch: 'sincnet' },
    ];
    const prefix = expand({ base: minimalBase({ experts: { pool, count: [1, 2, 3, 4] } }) });
    expect(values(prefix, 'numExperts')).toEqual([1, 2, 3, 4]);
    const subsets = expand({ base: minimalBase({ experts: { pool, count: 2, select: 'subsets' } }) });
    expect(subsets.trials).toHaveLength(6);
    const swept = expand({ base: minimalBase({ experts: { pool, count: 1 } }), grid: { 'experts.count': [2, 4] } });
    expect(values(swept, 'numExperts').sort()).toEqual([2, 4]);
  });

  it('cross products pair every architecture with every feature set', () => {
    const space = expand({
      features: { mel: { kind: 'mel' }, lfcc: { kind: 'lfcc' } },
      base: minimalBase({ experts: { cross: { arch: ['lcnn', 'resnet'], features: ['mel', 'lfcc'] }, common: { width: 0.5 } } }),
    });
    expect(space.trials).toHaveLength(1);
    expect(trialView(space.trials[0]!.config)['expertSet']).toBe('lcnn/melx0.5 + lcnn/lfccx0.5 + resnet/melx0.5 + resnet/lfccx0.5');
  });

  it('identical experts in one set get their own replica index (own initialisation)', () => {
    const space = expand({ base: minimalBase({ experts: [{ arch: 'lcnn', features: { kind: 'mel' } }, { arch: 'lcnn', features: { kind: 'mel' } }] }) });
    expect(space.trials[0]!.config.experts.map((e) => e.replica)).toEqual([undefined, 1]);
  });

  it('collapses points that resolve to the same trial', () => {
    const space = expand({
      base: minimalBase(),
      grid: { 'gate.hidden': [64, 64], 'train.lr': [0.0001, 1e-4] },
    });
    expect(space.trials).toHaveLength(1);
    expect(space.stats.duplicates).toBe(3);
  });

  it('baselines drop the gate, so gate axes do not multiply them', () => {
    const space = expand({
      base: minimalBase({ experts: [{ arch: 'lcnn', features: { kind: 'mel' } }, { arch: 'resnet', features: { kind: 'mel' } }] }),
      grid: { kind: ['moe', 'ensemble', 'joint'], 'gate.type': ['mlp', 'transformer'], 'gate.input': ['standard', 'enhanced'] },
    });
    const count = (kind: string) => space.trials.filter((t) => t.config.kind === kind).length;
    expect(count('moe')).toBe(4);
    expect(count('ensemble')).toBe(1);
    expect(count('joint')).toBe(2);
  });
});
