import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveTrial, type ResolvedMixtureTrial } from '../../src/config/resolve-trial.js';
import { routingLabel } from '../../src/config/routing.js';
import { gateSchema, mixtureSchema, routingSchema, trainingSchema, type TrialConfig } from '../../src/config/schema/index.js';
import { isUserError } from '../../src/util/errors.js';
import { planSweep } from '../../src/search/index.js';
import { jobLabel } from '../../src/search/job-label.js';
import { tempDir } from '../helpers/tmp.js';
import { expandFile, minimalBase, planFile, writeSweep } from '../search/sweep-fixtures.js';

const data = minimalBase()['data'] as TrialConfig['data'];
const lcnn = { arch: 'lcnn', features: { kind: 'mel', nMels: 40 } } as TrialConfig['experts'][number];
const resnet = { arch: 'resnet', features: { kind: 'mel', nMels: 40 }, depth: [1, 1] } as TrialConfig['experts'][number];

function trial(overrides: Partial<TrialConfig> = {}): TrialConfig {
  return { kind: 'moe', seed: 0, experts: [lcnn, lcnn], data, ...overrides } as TrialConfig;
}

function mixture(config: TrialConfig): ResolvedMixtureTrial {
  const resolved = resolveTrial(config);
  if (resolved.kind !== 'moe' && resolved.kind !== 'gate-ablated') throw new Error(`expected a mixture, got ${resolved.kind}`);
  return resolved;
}

function refusal(config: TrialConfig, path = ''): string {
  try {
    resolveTrial(config, path);
  } catch (error) {
    expect(isUserError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected the trial to be refused');
}

/** The `default` of each schema property that has one. */
function schemaDefaults(properties: Record<string, object>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).flatMap(([key, value]) => ('default' in value ? [[key, value.default]] : [])));
}

describe('resolveTrial', () => {
  it('gives a minimal trial the schema defaults, every one of them', () => {
    const resolved = mixture(trial());
    expect(resolved.train).toEqual(schemaDefaults(trainingSchema.properties));
    expect(resolved.pretrain).toEqual({ ...schemaDefaults(trainingSchema.properties), enabled: true });
    expect(resolved.moe).toEqual(schemaDefaults(mixtureSchema.properties));
    // feedForward has no schema default (it would change ids): 4 x dim.
    expect(resolved.gate).toEqual({ ...schemaDefaults(gateSchema.properties), feedForward: 4 * 32 });
    const { k: _k, weighting: _weighting, ...softDefaults } = schemaDefaults(routingSchema.properties);
    expect(resolved.routing).toEqual(softDefaults);
    expect(resolved.localisation).toBe('mile');
    expect(resolved.trainer).toBe('builtin');
    expect(resolved.data.sampleRate).toBe(16000);
    expect(resolved.data.clipSeconds).toBe(3);
    expect(resolved.experts[0]).toEqual({
      arch: 'lcnn', features: lcnn.features, width: 1, depth: [], embeddingDim: 64, dropout: 0, sampleRate: 16000,
      channels: [], embeddingActivation: 'mfm', embeddingAt: 'before-norm',
    });
    // Literal values too, so a schema edit that changes a default shows up here.
    expect([resolved.train.epochs, resolved.train.batchSize, resolved.train.lr, resolved.train.labelSmoothing, resolved.gate.type, resolved.gate.input]).toEqual([20, 32, 1e-4, 0.2, 'mlp', 'enhanced']);
  });

  it('types routing by mode: soft has no k, top-k has its k', () => {
    const soft = mixture(trial({ routing: { mode: 'soft', k: 2 } })).routing;
    expect(soft).toEqual({ mode: 'soft', balance: 'none', balanceWeight: 0.01 });
    expect('k' in soft).toBe(false);
    expect(mixture(trial({ routing: { mode: 'topk', k: 2 } })).routing).toEqual({ mode: 'topk', k: 2, weighting: 'router', balance: 'none', balanceWeight: 0.01 });
    expect(mixture(trial({ routing: { mode: 'noisy-topk' } })).routing).toMatchObject({ mode: 'noisy-topk', k: 1 });
  });

  it('reads only the sections a kind has', () => {
    // A single expert's gate is not its concern: a gate that would be refused in a mixture is not read.
    const single = resolveTrial(trial({ kind: 'single', experts: [lcnn], gate: { type: 'transformer', dim: 30, heads: 4 } }));
    expect(single.kind).toBe('single');
    expect('gate' in single).toBe(false);
    expect(resolveTrial(trial({ kind: 'probe', experts: [] as unknown as TrialConfig['experts'] })).experts).toEqual([]);
  });

  it.each([
    ['k above the number of experts', trial({ routing: { mode: 'topk', k: 3 } }), '/base/routing/k: expected at most the number of experts (2), got 3'],
    ['channels not one per ResNet stage', trial({ experts: [{ ...resnet, channels: [8, 16, 32] }] }), '/base/experts/0/channels: expected one channel count per stage of depth [1, 1]: expected 2, got 3'],
    ['channels for the LCNN', trial({ experts: [{ ...lcnn, channels: [8] }] }), '/base/experts/0/channels: expected nothing: explicit channels are for the resnet, not the lcnn'],
    ['mfm for the ResNet', trial({ experts: [{ ...resnet, embeddingActivation: 'mfm' }] }), '/base/experts/0/embeddingActivation: expected relu, leaky-relu or none ("mfm" is the LCNN\'s'],
    ['an LCNN without mfm', trial({ experts: [{ ...lcnn, embeddingActivation: 'relu' }] }), '/base/experts/0/embeddingActivation: expected "mfm"'],
    ['an embedding after the norm of a ResNet', trial({ experts: [{ ...resnet, embeddingAt: 'after-norm' }] }), '/base/experts/0/embeddingAt: expected "before-norm": only the LCNN'],
    ['a depth for the LCNN', trial({ experts: [{ ...lcnn, depth: [2] }] }), '/base/experts/0/depth: expected nothing'],
    ['gate dim not divisible by heads', trial({ gate: { type: 'transformer', dim: 30, heads: 4 } }), '/base/gate/heads: expected a divisor of /base/gate/dim (30)'],
    ['concatenated embeddings into a transformer', trial({ gate: { type: 'transformer', input: 'concat' } }), '/base/gate/input: expected "standard" or "enhanced" for a transformer gate'],
    ['an evaluation group of an unscored set', trial({ data: { ...data, evaluate: { ...data.evaluate, groups: { g: ['s:d9'] } } } }), '/base/data/evaluate/groups/g/0: "s:d9" is not an evaluation set'],
    ['a width above the schema\'s', trial({ experts: [{ ...lcnn, width: 8 }] }), '/base/experts/0/width: expected a number in (0, 4], got 8'],
  ])('refuses %s with its JSON path', (_rule, config, message) => {
    expect(refusal(config, '/base')).toContain(message);
  });

  it('refuses a broken trial at plan time, naming the sweep file, the trial\'s path and the line that set it', () => {
    const dir = tempDir();
    const lineOf = (file: string, text: string) => readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(text)) + 1;
    // A grid axis sets the field.
    const grid = writeSweep(dir, { name: 'heads', base: minimalBase({ experts: [lcnn, lcnn], gate: { type: 'transformer', dim: 30 } }), grid: { 'gate.heads': [2, 4] } }, 'heads.json');
    expect(() => expandFile(grid)).toThrow(
      new RegExp(`heads\\.json: a trial of this sweep is invalid at /gate/heads: expected a divisor of /gate/dim \\(30\\).* It is set at line ${lineOf(grid, '"gate.heads"')}, grid\\["gate\\.heads"\\]\\.$`),
    );
    // A named expert sets it.
    const named = writeSweep(dir, { name: 'named', experts: { wide: { ...resnet, channels: [8, 16, 32] } }, base: minimalBase({ experts: ['wide'] }) }, 'named.json');
    expect(() => expandFile(named)).toThrow(new RegExp(`invalid at /experts/0/channels: .*expected 2, got 3.* It is set at line ${lineOf(named, '"channels"')}, experts\\.wide\\.channels\\.$`));
    // The base sets it; an axis on another field of the section does not claim it.
    const base = writeSweep(dir, { name: 'base', base: minimalBase({ experts: [lcnn, lcnn], gate: { type: 'transformer', dim: 30, heads: 4 } }) }, 'base.json');
    expect(() => expandFile(base)).toThrow(new RegExp(`invalid at /gate/heads: .* It is set at line ${lineOf(base, '"heads"')}, base\\.gate\\.heads\\.$`));
    const defaulted = writeSweep(dir, { name: 'defaulted', base: minimalBase({ experts: [lcnn, lcnn], gate: { type: 'transformer', dim: 30, heads: 4 } }), grid: { 'gate.dim': [30] } }, 'defaulted.json');
    expect(() => expandFile(defaulted)).toThrow(new RegExp(`invalid at /gate/heads: .* It is set at line ${lineOf(defaulted, '"heads"')}, base\\.gate\\.heads\\.$`));
  });

  it('leaves the trial, its id and its jobs\' inputs as they were', () => {
    const sweep = {
      name: 'inputs',
      base: minimalBase({ experts: [lcnn, resnet] }),
      grid: { kind: ['moe', 'single', 'ensemble', 'budget-single'], 'routing.mode': ['soft', 'topk'], 'routing.k': [1, 2] },
    };
    const space = expandFile(writeSweep(tempDir(), sweep));
    const plan = planSweep(space);
    const before = JSON.stringify({ trials: space.trials.map((t) => [t.id, t.config]), jobs: [...plan.jobs.values()].map((j) => [j.key, j.inputs]) });
    for (const t of space.trials) resolveTrial(t.config);
    const after = JSON.stringify({ trials: space.trials.map((t) => [t.id, t.config]), jobs: [...plan.jobs.values()].map((j) => [j.key, j.inputs]) });
    expect(after).toBe(before);
    // The hashed normal form keeps what it had: soft routing carries no k into a job's inputs.
    // (A budget-matched single trains in a train-moe job too, without a gate or routing.)
    const moeInputs = [...plan.jobs.values()].flatMap((j) => (j.kind === 'train-moe' && j.inputs.routing !== undefined ? [j.inputs.routing as Record<string, unknown>] : []));
    expect(moeInputs.filter((r) => r['mode'] === 'soft').every((r) => !('k' in r))).toBe(true);
    expect(new Set(moeInputs.map((r) => routingLabel(r)))).toEqual(new Set(['soft', 'top-1', 'top-2']));
    // Planning again gives the same keys (resolution wrote nothing into shared sections).
    expect([...planFile(space.file).jobs.keys()].sort()).toEqual([...plan.jobs.keys()].sort());
  });
});

describe('routingLabel', () => {
  it('prints a routing value one way for job and report labels', () => {
    expect(routingLabel({ mode: 'soft' })).toBe('soft');
    expect(routingLabel({ mode: 'topk' })).toBe('top-1');
    expect(routingLabel({ mode: 'noisy-topk', k: 2 })).toBe('noisy-top-2');
    expect(jobLabel({ kind: 'train-moe', inputs: { gate: { type: 'mlp' }, routing: { mode: 'topk', k: 2 }, seed: 3 } } as unknown as Parameters<typeof jobLabel>[0])).toBe('moe mlp top-2 seed 3');
  });
});
