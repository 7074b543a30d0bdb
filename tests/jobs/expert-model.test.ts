import { beforeAll, describe, expect, it } from 'vitest';
import { buildTrialExpert } from '../../src/jobs/expert-model.js';
import { initBackend } from '../../src/nn/backend.js';
import type { ResolvedExpert } from '../../src/config/schema/index.js';
import { tempDir } from '../helpers/tmp.js';
import { expandFile, minimalBase, writeSweep } from '../search/sweep-fixtures.js';

/**
 * The expert recipe knobs of a trial must reach the model the jobs train (pre-training,
 * mixtures, evaluation and the memory estimate all build through buildTrialExpert): a knob
 * the model builder understands but the jobs drop would silently do nothing.
 */
const mel = { kind: 'mel', nMels: 16 } as unknown as ResolvedExpert['features'];

beforeAll(async () => {
  await initBackend('cpu');
});

describe('a trial expert as the jobs build it', () => {
  it('has the ResNet channels the sweep lists, not the width\'s', () => {
    const expert = { arch: 'resnet', features: mel, depth: [1, 1], channels: [6, 12] } as unknown as ResolvedExpert;
    const { model } = buildTrialExpert(expert, [16, 20], 0, 16000, 'expert');
    const convs = model.layers.filter((l) => /stem$|conv1$/.test(l.name)).map((l) => [l.name, l.getWeights()[0]!.shape[3]]);
    expect(convs).toEqual([
      ['expert_stem', 6],
      ['expert_s1b1_conv1', 6],
      ['expert_s2b1_conv1', 12],
    ]);
    model.dispose();
  });

  it('has the embedding activation the sweep names', () => {
    const build = (embeddingActivation?: string) => {
      const expert = { arch: 'resnet', features: mel, depth: [1], width: 0.25, ...(embeddingActivation ? { embeddingActivation } : {}) } as unknown as ResolvedExpert;
      const { model } = buildTrialExpert(expert, [16, 20], 0, 16000, 'expert');
      const names = model.layers.map((l) => `${l.getClassName()}:${l.name}`);
      model.dispose();
      return names;
    };
    expect(build('none')).not.toEqual(build());
  });
});

describe('expert rules at plan time', () => {
  it.each([
    [{ arch: 'resnet', depth: [1, 1], channels: [8, 16, 32] }, '/experts/0/channels', 'expected 2, got 3'],
    [{ arch: 'lcnn', channels: [8] }, '/experts/0/channels', 'for the resnet, not the lcnn'],
    [{ arch: 'resnet', depth: [1], embeddingAt: 'after-norm' }, '/experts/0/embeddingAt', 'only the LCNN'],
    [{ arch: 'resnet', depth: [1], embeddingActivation: 'mfm' }, '/experts/0/embeddingActivation', '"mfm" is the LCNN\'s'],
  ])('%j is refused with its path', (expert, pointer, words) => {
    const file = writeSweep(tempDir(), { name: 'rules', base: minimalBase({ experts: [{ ...expert, features: { kind: 'mel', nMels: 16 } }] }) }, 'rules.json');
    expect(() => expandFile(file)).toThrow(new RegExp(`invalid at ${pointer}: .*${words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});
