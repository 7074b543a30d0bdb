import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExpert, experts } from '../../src/experts/registry.js';
import type { ExpertSpec } from '../../src/config/expert-spec.js';
import { initBackend } from '../../src/nn/backend.js';
import { batchOf, type LabelledArray } from '../../src/train/batches.js';
import { softmaxCrossEntropy } from '../../src/train/loss.js';
import { logitsOf } from '../../src/train/scores.js';
import { modelVariables } from '../../src/nn/variables.js';
import { trainClassifier } from '../../src/train/classifier.js';
import { evaluateClassifier } from '../../src/train/scores.js';
import { isUserError } from '../../src/util/errors.js';
import { stripeSpectra, toneWaves } from '../train/support/synthetic.js';

beforeAll(async () => {
  await initBackend('wasm');
});

/**
 * The bound on held-out EER after training. An untrained or broken model scores at chance
 * (EER 0.5) on average; with 32 bona fide and 32 spoof held-out items the EER of a scorer
 * that has learnt nothing varies with a standard deviation of about 0.06-0.09, so 0.15 is
 * more than 4 of them below chance: it cannot be reached by luck. The problems are
 * separable, so a working expert gets close to 0.
 */
const EER_BOUND = 0.15;

const cases: Array<{ spec: ExpertSpec; train: LabelledArray; validation: LabelledArray; epochs: number; lr: number }> = [
  { spec: { arch: 'lcnn', width: 0.25 }, train: stripeSpectra(256, 16, 32, 1), validation: stripeSpectra(64, 16, 32, 2), epochs: 4, lr: 3e-3 },
  { spec: { arch: 'resnet', width: 0.25, depth: [1, 1] }, train: stripeSpectra(256, 16, 32, 1), validation: stripeSpectra(64, 16, 32, 2), epochs: 4, lr: 3e-3 },
  { spec: { arch: 'sincnet', width: 0.25 }, train: toneWaves(256, 800, 16000, 1), validation: toneWaves(64, 800, 16000, 2), epochs: 3, lr: 3e-3 },
];

describe.each(cases)('expert $spec.arch', ({ spec, train, validation, epochs, lr }) => {
  it('learns a small separable problem: the loss falls and held-out EER falls below the bound', async () => {
    const { model, embeddingDim } = buildExpert(spec, train.itemShape, 7);
    expect(model.outputs.map((output) => output.shape)).toEqual([[null, embeddingDim], [null, 2]]);
    const before = evaluateClassifier(model, validation);
    const result = await trainClassifier({
      model,
      train,
      validation,
      seed: 3,
      hp: { epochs, lr, weightDecay: 1e-4, schedule: 'cosine', etaMin: 1e-5, patience: null, monitor: 'loss', batchSize: 16, labelSmoothing: 0.1 },
    });
    const after = evaluateClassifier(model, validation);
    const losses = result.history.map((record) => record.trainLoss);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8);
    expect(after.eer).toBeLessThan(EER_BOUND);
    expect(after.eer).toBeLessThan(before.eer);
    model.dispose();
  });

  it('trains without kernels the wasm backend lacks (gather and its gradient, einsum, FFT)', async () => {
    const { model } = buildExpert(spec, train.itemShape, 7);
    const { trainable } = modelVariables(model);
    const batch = batchOf(train, [0, 1, 2, 3]);
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => softmaxCrossEntropy(logitsOf(model.apply(batch.x, { training: true }) as tf.Tensor[]), batch.labels, 0.1), trainable);
      tf.dispose([value, ...Object.values(grads)]);
    });
    const kernels = new Set(profile.kernels.map((kernel) => kernel.name));
    expect(kernels.has('Conv2D') || kernels.has('FusedConv2D')).toBe(true);
    for (const missing of ['GatherV2', 'GatherNd', 'UnsortedSegmentSum', 'Einsum', 'FFT', 'IFFT', 'RFFT']) expect(kernels.has(missing)).toBe(false);
    tf.dispose([batch.x, batch.labels]);
    model.dispose();
  });

  it('builds identical weights from the same seed and different ones from another', () => {
    const weights = (seed: number) => {
      const { model } = buildExpert(spec, train.itemShape, seed, { name: `${spec.arch}_s${seed}` });
      const values = model.weights.map((weight) => Array.from(weight.read().dataSync()));
      model.dispose();
      return values;
    };
    expect(weights(1)).toEqual(weights(1));
    expect(weights(1)).not.toEqual(weights(2));
  });
});

describe('buildExpert', () => {
  it('registers lcnn, resnet and sincnet', () => {
    expect([...experts.keys()]).toEqual(['lcnn', 'resnet', 'sincnet']);
  });

  it('builds the authors LCNN at width 1: MFM halves, 16x8 pooling into a 4096-input fc1, a 64-d embedding', () => {
    const { model, embeddingDim } = buildExpert({ arch: 'lcnn' }, [80, 301], 1);
    expect(embeddingDim).toBe(64);
    const shapeOf = (name: string) => model.getLayer(name).outputShape;
    expect(shapeOf('lcnn_conv1')).toEqual([null, 80, 301, 64]);
    expect(shapeOf('lcnn_conv1_mfm')).toEqual([null, 80, 301, 32]);
    expect(shapeOf('lcnn_conv5_pool')).toEqual([null, 10, 37, 64]);
    expect(shapeOf('lcnn_adaptive_pool')).toEqual([null, 16, 8, 32]);
    expect(model.getLayer('lcnn_fc1').getWeights()[0]!.shape).toEqual([4096, 128]);
    model.dispose();
  });

  it('shrinks with the width multiplier and grows with depth', () => {
    const params = (spec: ExpertSpec, shape: number[]) => {
      const { model } = buildExpert(spec, shape, 1);
      const count = model.countParams();
      model.dispose();
      return count;
    };
    expect(params({ arch: 'lcnn', width: 0.5 }, [32, 64])).toBeLessThan(params({ arch: 'lcnn' }, [32, 64]) / 2);
    expect(params({ arch: 'resnet', depth: [1, 1, 1] }, [32, 64])).toBeLessThan(params({ arch: 'resnet', depth: [2, 2, 2] }, [32, 64]));
  });

  it('reports bad specs and shapes as user errors naming the JSON path', () => {
    const failure = (spec: unknown, shape: number[]) => {
      try {
        buildExpert(spec as ExpertSpec, shape, 1, { specPath: 'experts[1]' });
      } catch (error) {
        expect(isUserError(error)).toBe(true);
        return (error as Error).message;
      }
      throw new Error('expected a failure');
    };
    expect(failure({ arch: 'transformer' }, [16, 32])).toMatch(/^experts\[1\]\.arch: expected one of "lcnn", "resnet", "sincnet", got "transformer"/);
    expect(failure({ arch: 'lcnn', width: 0 }, [16, 32])).toMatch(/^experts\[1\]\.width: expected a number in \(0, 4\]/);
    // The bounds are the sweep schema's (src/config/schema/experts.ts), not a second copy.
    expect(failure({ arch: 'lcnn', width: 8 }, [16, 32])).toMatch(/^experts\[1\]\.width: expected a number in \(0, 4\], got 8/);
    expect(failure({ arch: 'resnet', depth: [9] }, [16, 32])).toMatch(/^experts\[1\]\.depth\.0: expected an integer in \[1, 8\], got 9/);
    expect(failure({ arch: 'resnet', depth: [2, 0] }, [16, 32])).toMatch(/^experts\[1\]\.depth/);
    expect(failure({ arch: 'lcnn', dropout: 1 }, [16, 32])).toMatch(/^experts\[1\]\.dropout/);
    expect(failure({ arch: 'lcnn', depth: [2] }, [16, 32])).toMatch(/^experts\[1\]\.depth: expected nothing/);
    expect(failure({ arch: 'sincnet' }, [16, 32])).toMatch(/^experts\[1\]: sincnet takes \[samples\]/);
    expect(failure({ arch: 'lcnn' }, [4, 32])).toMatch(/at least 8 x 8/);
  });
});
