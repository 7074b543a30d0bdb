import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExpert } from '../../src/experts/registry.js';
import { initBackend } from '../../src/nn/backend.js';
import { recalibrateForValidation } from '../../src/train/batch-norm-recalibration.js';
import { type Batch, balancedBatches, epochBatchOptions, trainingRowPlan } from '../../src/train/batches.js';
import { classifierHyperParams } from '../../src/jobs/hyper.js';
import { trainLoop } from '../../src/train/train-loop.js';
import { modelVariables } from '../../src/nn/variables.js';
import { Rng } from '../../src/util/rng.js';
import { stripeSpectra } from './support/synthetic.js';

beforeAll(async () => {
  await initBackend('wasm');
});

/** 7 bona fide (rows 0..6) and 29 spoof items: the minority class wraps within an epoch. */
const labels = Array.from({ length: 36 }, (_, row) => (row < 7 ? 1 : 0));

function epochs(options: { classPools?: 'epoch' | 'persistent'; balanced?: boolean }, count: number, seed = 9): number[][][] {
  const hp = classifierHyperParams({ batchSize: 8, ...options });
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, epoch) => trainingRowPlan(labels, rng, epochBatchOptions(hp, seed, epoch)));
}

describe('training.balanced', () => {
  it('true (the default): every batch holds as many bona fide as spoof items', () => {
    for (const epoch of epochs({}, 3)) {
      for (const batch of epoch) expect(batch.filter((row) => labels[row] === 1)).toHaveLength(4);
    }
  });

  it('false: one seeded shuffled pass, each item once per epoch, batches follow the class ratio, not half and half', () => {
    const [first, second] = epochs({ balanced: false }, 2) as [number[][], number[][]];
    expect(first).toHaveLength(5);
    // 5 batches of 8 over 36 items: every item once, the last batch wraps round to 4 items of the start.
    expect(new Set(first.flat()).size).toBe(36);
    expect(first.flat().slice(0, 4)).toEqual(first.flat().slice(36));
    expect(first.flat().filter((row) => labels[row] === 1).length).toBeLessThan(20);
    expect(second).not.toEqual(first);
    expect(epochs({ balanced: false }, 2)).toEqual([first, second]);
  });
});

describe('training.classPools', () => {
  it("'persistent': a class pool refills only when empty, so over the run each bona fide item is drawn equally often", () => {
    // 5 steps x 4 bona fide = 20 draws per epoch over 7 items: 7 epochs make 140 draws, 20 per item.
    const persistent = epochs({ classPools: 'persistent' }, 7);
    const counts = new Map<number, number>();
    for (const row of persistent.flat(2)) if (labels[row] === 1) counts.set(row, (counts.get(row) ?? 0) + 1);
    expect([...counts.values()]).toEqual(Array(7).fill(20));
    // The draws carry on across an epoch boundary: epoch 0 ends 6 items into the third refill,
    // epoch 1 starts with the one item of it left.
    const bonafideDraws = persistent.map((epoch) => epoch.flatMap((batch) => batch.slice(0, 4)));
    const thirdRefill = new Set([...(bonafideDraws[0] as number[]).slice(14), (bonafideDraws[1] as number[])[0]]);
    expect(thirdRefill.size).toBe(7);
    // Pools restarted every epoch (the default) leave the counts uneven over the same run.
    const restarted = new Map<number, number>();
    for (const row of epochs({}, 7).flat(2)) if (labels[row] === 1) restarted.set(row, (restarted.get(row) ?? 0) + 1);
    expect(new Set(restarted.values()).size).toBeGreaterThan(1);
  });

  it("'persistent': an epoch's rows depend on the seed and the epoch alone (a resumed job draws the same), still balanced", () => {
    const run = epochs({ classPools: 'persistent' }, 4);
    const hp = classifierHyperParams({ batchSize: 8, classPools: 'persistent' });
    // Epoch 3 drawn alone, from a fresh loop rng, as a job resumed before epoch 3 would.
    expect(trainingRowPlan(labels, new Rng(1234), epochBatchOptions(hp, 9, 3))).toEqual(run[3]);
    expect(epochs({ classPools: 'persistent' }, 4, 10)).not.toEqual(run);
    for (const batch of run.flat()) expect(batch.filter((row) => labels[row] === 1)).toHaveLength(4);
  });
});

describe('training.tieBreak', () => {
  const train = stripeSpectra(32, 16, 32, 1);
  async function bestEpoch(tieBreak: 'first' | 'loss' | undefined): Promise<number> {
    const model = buildExpert({ arch: 'lcnn', width: 0.25, embeddingDim: 16 }, [16, 32], 3).model;
    const { variables, trainable } = modelVariables(model);
    // Epochs 1 and 3 tie with epoch 0 on EER; epoch 3 has the lowest loss of the three.
    const eers = [0.25, 0.25, 0.3, 0.25];
    const losses = [0.6, 0.7, 0.1, 0.4];
    const result = await trainLoop<Batch>({
      variables,
      trainable,
      hp: { epochs: 4, lr: 1e-3, weightDecay: 0, schedule: 'constant', etaMin: 0, patience: null, monitor: 'eer', ...(tieBreak ? { tieBreak } : {}) },
      seed: 1,
      lossFn: (batch) => tf.losses.softmaxCrossEntropy(tf.oneHot(batch.labels, 2), (model.apply(batch.x, { training: true }) as tf.Tensor[])[1]!) as tf.Scalar,
      batches: (_epoch, rng) => balancedBatches(train, rng, { batchSize: 8, stepsPerEpoch: 1 }),
      validate: (epoch) => ({ loss: losses[epoch]!, eer: eers[epoch]! }),
    });
    model.dispose();
    return result.bestEpoch;
  }

  it("'loss' takes the tied epoch with the lower validation loss; 'first' (the default) keeps the earliest", async () => {
    expect(await bestEpoch('loss')).toBe(3);
    expect(await bestEpoch('first')).toBe(0);
    expect(await bestEpoch(undefined)).toBe(0);
  });
});

describe('training.validationNorm', () => {
  it("'running' validates on the moving statistics; 'recalibrate' (the default) replaces them", () => {
    const data = stripeSpectra(32, 16, 32, 1);
    const statistics = (validationNorm: 'recalibrate' | 'running' | undefined): number[] => {
      const model = buildExpert({ arch: 'resnet', width: 0.125, depth: [1], embeddingDim: 8 }, [16, 32], 3).model;
      const hp = classifierHyperParams({ batchSize: 8, ...(validationNorm ? { validationNorm } : {}) });
      recalibrateForValidation(model, data, hp, 5);
      const moving = model.weights.filter((w) => w.name.includes('moving_mean')).flatMap((w) => Array.from(w.read().dataSync()));
      model.dispose();
      return moving;
    };
    const running = statistics('running');
    expect(running.every((value) => value === 0)).toBe(true);
    const recalibrated = statistics(undefined);
    expect(recalibrated.some((value) => Math.abs(value) > 1e-3)).toBe(true);
    expect(statistics('recalibrate')).toEqual(recalibrated);
  });
});
