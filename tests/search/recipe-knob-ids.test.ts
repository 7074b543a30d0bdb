import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { expandFile, minimalBase, planFile, writeSweep } from './sweep-fixtures.js';

/**
 * The recipe knobs of #16 (item 5) are sweep fields whose default is today's behaviour:
 * written out at that default, they must give the trial ids and job keys of a sweep that
 * leaves them out (stores made before the knobs find their trials and jobs again), and
 * set to anything else they must give new ones.
 */
const resnet = { arch: 'resnet', width: 0.5, depth: [1, 1], features: { kind: 'mel', nMels: 40 } };
const transformer = { kind: 'moe', gate: { type: 'transformer', dim: 16, heads: 2 } };

function idsAndKeys(base: Record<string, unknown>, name: string): { ids: string[]; keys: string[] } {
  const dir = tempDir();
  const file = writeSweep(dir, { name: 'knobs', base: minimalBase(base) }, `${name}.json`);
  const ids = expandFile(file).trials.map((t) => t.id).sort();
  const keys = [...planFile(file).jobs.keys()].sort();
  return { ids, keys };
}

describe('recipe knobs at their defaults', () => {
  it.each([
    ['training knobs', { train: { epochs: 20 } }, { train: { epochs: 20, classPools: 'epoch', validationNorm: 'recalibrate', tieBreak: 'first' } }],
    ['pretrain knobs', {}, { pretrain: { classPools: 'epoch', validationNorm: 'recalibrate' } }],
    ['a tie break where the loss is monitored', {}, { train: { tieBreak: 'loss' } }],
    ['class pools without balanced batches', { train: { balanced: false } }, { train: { balanced: false, classPools: 'persistent' } }],
    ['resnet channels equal to the width', { experts: [resnet] }, { experts: [{ ...resnet, channels: [16, 32] }] }],
    ['embedding defaults', { experts: [resnet] }, { experts: [{ ...resnet, embeddingActivation: 'relu' }] }],
    ['lcnn embedding defaults', {}, { experts: [{ arch: 'lcnn', features: { kind: 'mel', nMels: 40 }, embeddingActivation: 'mfm', embeddingAt: 'before-norm' }] }],
    ['feed-forward width 4 x dim', transformer, { ...transformer, gate: { ...transformer.gate, feedForward: 64 } }],
    ['tiling short clips from the start', {}, { data: { ...(minimalBase()['data'] as object), tileOffset: 'start' } }],
    ['feed-forward width of an mlp gate', { kind: 'moe' }, { kind: 'moe', gate: { type: 'mlp', feedForward: 7 } }],
  ])('%s: same trial ids and job keys as leaving them out', (_name, implicit, explicit) => {
    expect(idsAndKeys(explicit, 'explicit')).toEqual(idsAndKeys(implicit, 'implicit'));
  });
});

describe('recipe knobs away from their defaults', () => {
  it.each([
    ['balanced false', {}, { train: { balanced: false } }],
    ['persistent class pools', {}, { pretrain: { classPools: 'persistent' } }],
    ['running batch-norm statistics', {}, { train: { validationNorm: 'running' } }],
    ['tie break by loss under monitor eer', { train: { monitor: 'eer' } }, { train: { monitor: 'eer', tieBreak: 'loss' } }],
    ['resnet channels', { experts: [resnet] }, { experts: [{ ...resnet, channels: [16, 48] }] }],
    ['embedding activation', { experts: [resnet] }, { experts: [{ ...resnet, embeddingActivation: 'none' }] }],
    ['lcnn embedding after the norm', {}, { experts: [{ arch: 'lcnn', features: { kind: 'mel', nMels: 40 }, embeddingAt: 'after-norm' }] }],
    ['feed-forward width', transformer, { ...transformer, gate: { ...transformer.gate, feedForward: 24 } }],
    ['random tile offsets', {}, { data: { ...(minimalBase()['data'] as object), tileOffset: 'random' } }],
    ['a fresh crop per draw', {}, { data: { ...(minimalBase()['data'] as object), cropPoolSeconds: 6 } }],
    ['concatenated embeddings for the gate', { kind: 'moe' }, { kind: 'moe', gate: { input: 'concat' } }],
  ])('%s: new trial ids', (_name, implicit, explicit) => {
    const before = idsAndKeys(implicit, 'implicit');
    const after = idsAndKeys(explicit, 'explicit');
    expect(after.ids).toHaveLength(before.ids.length);
    for (const id of after.ids) expect(before.ids).not.toContain(id);
  });

  it('explicit resnet channels replace the width: two widths with the same channels are one trial', () => {
    const dir = tempDir();
    const file = writeSweep(dir, {
      name: 'channels',
      base: minimalBase({ kind: 'single' }),
      grid: { experts: [[{ ...resnet, width: 0.5, channels: [8, 24] }], [{ ...resnet, width: 2, channels: [8, 24] }], [{ ...resnet, width: 2 }]] },
    });
    expect(expandFile(file).trials).toHaveLength(2);
  });

  it('a transformer gate on concatenated embeddings is no trial (a grid over gate type x input keeps the others)', () => {
    const dir = tempDir();
    const file = writeSweep(dir, { name: 'concat', base: minimalBase({ kind: 'moe' }), grid: { 'gate.type': ['mlp', 'transformer'], 'gate.input': ['enhanced', 'concat'] } });
    const gates = expandFile(file).trials.map((t) => `${t.config.gate?.type}/${t.config.gate?.input}`).sort();
    expect(gates).toEqual(['mlp/concat', 'mlp/enhanced', 'transformer/enhanced']);
  });

  it('a crop pool no longer than the clip is no trial, and says why', () => {
    const dir = tempDir();
    const file = writeSweep(dir, { name: 'pool', base: minimalBase({ data: { ...(minimalBase()['data'] as object), clipSeconds: 3, cropPoolSeconds: 3 } }) });
    // A sweep left with no trial is a UserError that names the rule.
    expect(() => expandFile(file)).toThrow(/zero trials[\s\S]*cropPoolSeconds must be longer than data.clipSeconds/);
  });
});
