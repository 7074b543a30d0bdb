import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdaptiveMaxPool2D } from '../../src/experts/layers/adaptive-max-pool.js';
import { MaxFeatureMap } from '../../src/experts/layers/max-feature-map.js';
import { SeededDropout } from '../../src/nn/seeded-dropout.js';
import { SincConv1D } from '../../src/experts/layers/sinc-conv.js';
import { initBackend } from '../../src/nn/backend.js';
import { withStepSeed } from '../../src/nn/step-seed.js';

const torch = JSON.parse(readFileSync(new URL('../train/fixtures/torch_reference.json', import.meta.url), 'utf8')) as {
  adaptiveMaxPool: { input: number[][]; output: number[][] };
};

beforeAll(async () => {
  await initBackend('wasm');
});

describe('expert layers', () => {
  it('MaxFeatureMap keeps the larger of the two channel halves', () => {
    const x = tf.tensor4d([1, -2, 5, 0, 3, 4, -1, 7], [1, 1, 2, 4]);
    const y = new MaxFeatureMap().apply(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(Array.from(y.dataSync())).toEqual([5, 0, 3, 7]);
    tf.dispose([x, y]);
  });

  it('AdaptiveMaxPool2D matches torch adaptive_max_pool2d (10x37 -> 16x8: overlapping and repeated windows)', () => {
    const input = torch.adaptiveMaxPool.input;
    const x = tf.tensor4d(input.flat(), [1, input.length, input[0]!.length, 1]);
    const y = new AdaptiveMaxPool2D({ outputSize: [16, 8] }).apply(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 16, 8, 1]);
    const expected = torch.adaptiveMaxPool.output.flat();
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
    tf.dispose([x, y]);
  });

  it('SeededDropout draws a new mask each step, the same mask for the same step, none at inference', () => {
    const layer = new SeededDropout({ rate: 0.5, seed: 1, name: 'drop' });
    const x = tf.ones([1, 256]);
    const mask = (step: number) => withStepSeed(step, () => Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync()));
    const first = mask(10);
    expect(mask(10)).toEqual(first);
    expect(mask(11)).not.toEqual(first);
    expect(first.filter((v) => v === 0).length).toBeGreaterThan(96);
    expect(first.filter((v) => v === 2).length).toBeGreaterThan(96);
    expect(Array.from((layer.apply(x, { training: false }) as tf.Tensor).dataSync())).toEqual(new Array(256).fill(1));
  });

  it('SincConv1D builds normalised band-pass filters whose cut-offs receive gradients', () => {
    const layer = new SincConv1D({ filters: 4, kernelSize: 65, sampleRate: 16000 });
    const x = tf.randomNormal([2, 400, 1], 0, 1, 'float32', 3);
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 336, 4]);
    const bank = layer.filterBank();
    expect(bank.shape).toEqual([65, 1, 4]);
    // Centre tap of each filter is 1 (normalised by 2 * band width), and the filters are symmetric.
    const taps = bank.reshape([65, 4]).arraySync() as number[][];
    for (let f = 0; f < 4; f++) {
      expect(taps[32]![f]).toBeCloseTo(1, 5);
      expect(taps[10]![f]).toBeCloseTo(taps[54]![f]!, 5);
    }
    const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    expect(weights.map((w) => w.shape)).toEqual([[4], [4]]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar, weights);
    for (const w of weights) expect(Math.max(...Array.from(grads[w.name]!.dataSync()).map(Math.abs))).toBeGreaterThan(0);
  });
});
