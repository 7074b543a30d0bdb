import { describe, expect, it } from 'vitest';
import { configurationLabels, slugOf, uniqueSlugs } from '../../src/report/data/labels.js';
import type { Json } from '../../src/search/paths.js';

const order = ['kind', 'expertSet', 'numExperts', 'gate.type', 'moe.loss', 'pretrain.enabled', 'routing.k', 'routing.mode', 'seed'];
const mixture = 'lcnn/mel + resnet/mel + resnet/logspec';

function labelsOf(configurations: Array<Record<string, Json>>): string[] {
  const inputs = configurations.map((params, i) => ({ key: String(i), kind: String(params['kind']), params }));
  const labels = configurationLabels(inputs, order);
  return inputs.map((i) => labels.get(i.key) as string);
}

describe('configuration labels', () => {
  it('name the kind and the parameters that vary within it, routing as top-k', () => {
    const labels = labelsOf([
      { kind: 'moe', expertSet: mixture, numExperts: 3, 'gate.type': 'mlp', 'moe.loss': 'separate', 'pretrain.enabled': true, 'routing.mode': 'topk', 'routing.k': 1 },
      { kind: 'moe', expertSet: mixture, numExperts: 3, 'gate.type': 'transformer', 'moe.loss': 'shared', 'pretrain.enabled': false, 'routing.mode': 'soft' },
      { kind: 'moe', expertSet: mixture, numExperts: 3, 'gate.type': 'mlp', 'moe.loss': 'shared', 'pretrain.enabled': true, 'routing.mode': 'topk', 'routing.k': 2 },
      { kind: 'single', expertSet: 'lcnn/mel', numExperts: 1 },
      { kind: 'single', expertSet: 'resnet/logspec', numExperts: 1 },
      { kind: 'ensemble', expertSet: mixture, numExperts: 3 },
    ]);
    expect(labels).toEqual([
      'moe mlp top-1 separate pretrain',
      'moe transformer soft shared no pretrain',
      'moe mlp top-2 shared pretrain',
      'single lcnn/mel',
      'single resnet/logspec',
      'ensemble',
    ]);
  });

  it('numbers and ambiguous values are spelled out; collisions get the differing parameters', () => {
    const labels = labelsOf([
      { kind: 'moe', 'pretrain.epochs': 150, 'gate.input': 'enhanced' },
      { kind: 'moe', 'pretrain.epochs': 300, 'gate.input': 'standard' },
    ]);
    expect(labels).toEqual(['moe enhanced input pretrain.epochs=150', 'moe standard input pretrain.epochs=300']);
    // Two objects that print alike must still get different labels.
    const clash = labelsOf([
      { kind: 'moe', 'data.augmentation': { rawboost: 1 } as Json },
      { kind: 'moe', 'data.augmentation': { rawboost: 2 } as Json },
    ]);
    expect(new Set(clash).size).toBe(2);
  });

  it('slugs are file-name safe, stable, and unique', () => {
    expect(slugOf('moe mlp top-1 separate', 'k')).toBe('moe-mlp-top-1-separate');
    expect(slugOf('single lcnn/melx0.25@synth:d1', 'k')).toBe('single-lcnn-melx0-25-synth-d1');
    expect(slugOf(`ensemble ${mixture}`, 'k')).toBe('ensemble-lcnn-mel-plus-resnet-mel-plus-resnet-logspec');
    const long = slugOf('x'.repeat(100), 'some-key');
    expect(long.length).toBeLessThanOrEqual(60);
    expect(slugOf('x'.repeat(100), 'some-key')).toBe(long);
    const slugs = uniqueSlugs([
      { key: 'a', label: 'moe a/b' },
      { key: 'b', label: 'moe a-b' },
    ]);
    expect(new Set(slugs.values()).size).toBe(2);
    for (const slug of slugs.values()) expect(slug).toMatch(/^moe-a-b-[0-9a-f]{8}$/);
  });
});
