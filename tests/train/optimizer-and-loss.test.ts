import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from '../../src/train/adamw.js';
import { initBackend } from '../../src/nn/backend.js';
import { softmaxCrossEntropy } from '../../src/train/loss.js';
import { learningRateAt } from '../../src/train/schedule.js';

/** Values computed by PyTorch 1.13 in float64 (fixtures/torch_reference.py). */
const torch = JSON.parse(readFileSync(new URL('./fixtures/torch_reference.json', import.meta.url), 'utf8')) as {
  crossEntropy: { logits: number[][]; labels: number[]; bySmoothing: Record<string, number> };
  adamw: { initial: number[]; lr: number; weightDecay: number; grads: number[][]; params: number[][] };
  cosine: { lr: number; etaMin: number; tMax: number; lrs: number[] };
};

beforeAll(async () => {
  await initBackend('wasm');
});

describe('softmaxCrossEntropy', () => {
  it.each(Object.entries(torch.crossEntropy.bySmoothing))('matches torch cross_entropy with label_smoothing=%s', (smoothing, expected) => {
    const value = tf.tidy(() =>
      softmaxCrossEntropy(tf.tensor2d(torch.crossEntropy.logits), tf.tensor1d(torch.crossEntropy.labels, 'int32'), Number(smoothing)).dataSync()[0],
    );
    expect(value).toBeCloseTo(expected, 5);
  });

  it('has the gradient of the smoothed target (softmax - target) / batch', () => {
    const logits = tf.tensor2d([[1, 2], [0, -1]]);
    const labels = tf.tensor1d([1, 0], 'int32');
    const gradient = tf.grad((l: tf.Tensor) => softmaxCrossEntropy(l, labels, 0.2))(logits);
    const softmax = [[1, 2], [0, -1]].map((row) => row.map((v) => Math.exp(v) / row.reduce((s, u) => s + Math.exp(u), 0)));
    const target = [[0.1, 0.9], [0.9, 0.1]];
    const expected = softmax.flatMap((row, i) => row.map((p, j) => (p - target[i]![j]!) / 2));
    Array.from(gradient.dataSync()).forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 6));
    tf.dispose([logits, labels, gradient]);
  });
});

describe('AdamW', () => {
  it('follows torch.optim.AdamW step for step (decoupled weight decay, bias correction)', () => {
    const p = tf.variable(tf.tensor1d(torch.adamw.initial));
    const optimizer = new AdamW([p], { weightDecay: torch.adamw.weightDecay });
    optimizer.learningRate = torch.adamw.lr;
    torch.adamw.grads.forEach((g, step) => {
      const gradient = tf.tensor1d(g);
      optimizer.applyGradients({ [p.name]: gradient });
      gradient.dispose();
      Array.from(p.dataSync()).forEach((value, i) => expect(value).toBeCloseTo(torch.adamw.params[step]![i]!, 6));
    });
    expect(optimizer.step).toBe(torch.adamw.grads.length);
    optimizer.dispose();
    p.dispose();
  });

  it('restores its moments and step so the next update is the same', () => {
    const run = (interruptAt: number | null): Float32Array => {
      const p = tf.tidy(() => tf.variable(tf.tensor1d(torch.adamw.initial)));
      let optimizer = new AdamW([p], { weightDecay: 0.1 });
      optimizer.learningRate = 0.01;
      torch.adamw.grads.forEach((g, step) => {
        if (step === interruptAt) {
          const state = optimizer.getState();
          optimizer.dispose();
          optimizer = new AdamW([p], { weightDecay: 0.1 });
          optimizer.learningRate = 0.01;
          optimizer.setState(state);
        }
        tf.tidy(() => optimizer.applyGradients({ [p.name]: tf.tensor1d(g) }));
      });
      const values = p.dataSync() as Float32Array;
      optimizer.dispose();
      p.dispose();
      return values;
    };
    const before = tf.memory().numTensors;
    expect(run(3)).toEqual(run(null));
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('learningRateAt', () => {
  it('matches torch CosineAnnealingLR stepped per epoch, past T_max too', () => {
    const { lr, etaMin, tMax, lrs } = torch.cosine;
    lrs.forEach((expected, epoch) => expect(learningRateAt(epoch, { kind: 'cosine', lr, etaMin, tMax })).toBeCloseTo(expected, 12));
  });

  it('is flat for the constant schedule', () => {
    expect(learningRateAt(7, { kind: 'constant', lr: 3e-4, etaMin: 0, tMax: 10 })).toBe(3e-4);
  });
});
