import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExpert } from '../../src/experts/registry.js';
import { initBackend } from '../../src/nn/backend.js';
import { type Batch, balancedBatches } from '../../src/train/batches.js';
import { type ClassifierHyperParams, trainClassifier } from '../../src/train/classifier.js';
import { TrainingAborted, trainLoop } from '../../src/train/train-loop.js';
import { modelVariables } from '../../src/nn/variables.js';
import { isUserError } from '../../src/util/errors.js';
import { tempDir } from '../helpers/tmp.js';
import { stripeSpectra } from './support/synthetic.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const train = stripeSpectra(64, 16, 32, 1);
const validation = stripeSpectra(32, 16, 32, 2);
const baseHp: ClassifierHyperParams = {
  epochs: 4,
  lr: 1e-3,
  weightDecay: 1e-4,
  schedule: 'cosine',
  etaMin: 1e-5,
  patience: null,
  monitor: 'loss',
  batchSize: 16,
  labelSmoothing: 0.1,
};

/** A tiny LCNN with dropout, so the per-step seeds are exercised too. */
function tinyLcnn(): tf.LayersModel {
  return buildExpert({ arch: 'lcnn', width: 0.25, embeddingDim: 16, dropout: 0.3 }, [16, 32], 11).model;
}

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.weights.map((weight) => (weight.read().dataSync() as Float32Array).slice());
}

describe('trainLoop', () => {
  it.each(['wasm', 'cpu'])('resumed after an interruption ends with exactly the weights of an uninterrupted run (%s)', async (backend) => {
    await initBackend(backend as 'wasm' | 'cpu');
    // The pure-JS cpu backend is about 20x slower: one step per epoch, three epochs there.
    const cpu = backend === 'cpu';
    const train = cpu ? stripeSpectra(16, 16, 32, 1) : stripeSpectra(64, 16, 32, 1);
    const validation = cpu ? stripeSpectra(16, 16, 32, 2) : stripeSpectra(32, 16, 32, 2);
    const hp: ClassifierHyperParams = { ...baseHp, epochs: cpu ? 3 : 4 };
    const reference = tinyLcnn();
    const uninterrupted = await trainClassifier({ model: reference, train, validation, hp, seed: 5 });
    const expected = weightsOf(reference);
    reference.dispose();

    const dir = tempDir();
    const controller = new AbortController();
    const first = tinyLcnn();
    const error = await trainClassifier({
      model: first,
      train,
      validation,
      hp,
      seed: 5,
      checkpoint: { dir, resume: true },
      signal: controller.signal,
      onEpoch: (record) => {
        if (record.epoch === 1) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingAborted);
    first.dispose();

    // A new model (as a new worker would build it), same seed, continued from the checkpoint.
    const second = tinyLcnn();
    const resumed = await trainClassifier({ model: second, train, validation, hp, seed: 5, checkpoint: { dir, resume: true } });
    expect(resumed.resumedFromEpoch).toBe(2);
    expect(resumed.history.map((r) => r.trainLoss)).toEqual(uninterrupted.history.map((r) => r.trainLoss));
    expect(weightsOf(second)).toEqual(expected);

    // Resuming a finished job changes nothing.
    const again = await trainClassifier({ model: second, train, validation, hp, seed: 5, checkpoint: { dir, resume: true } });
    expect(again.resumedFromEpoch).toBe(hp.epochs);
    expect(weightsOf(second)).toEqual(expected);
    second.dispose();
    await initBackend('wasm');
  });

  it('refuses a checkpoint of another configuration', async () => {
    const dir = tempDir();
    const model = tinyLcnn();
    await trainClassifier({ model, train, validation, hp: { ...baseHp, epochs: 1 }, seed: 5, checkpoint: { dir, resume: true } });
    const error = await trainClassifier({ model, train, validation, hp: { ...baseHp, epochs: 1, lr: 2e-3 }, seed: 5, checkpoint: { dir, resume: true } }).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toMatch(/another job configuration/);
    model.dispose();
  });

  it('stops early after `patience` epochs without improvement and restores the best weights', async () => {
    const model = tinyLcnn();
    const { variables, trainable } = modelVariables(model);
    const losses = [0.9, 0.5, 0.6, 0.55, 0.7, 0.1];
    let bestSnapshot: Float32Array[] = [];
    const result = await trainLoop<Batch>({
      variables,
      trainable,
      hp: { ...baseHp, epochs: 6, patience: 2 },
      seed: 1,
      lossFn: (batch) => tf.losses.softmaxCrossEntropy(tf.oneHot(batch.labels, 2), (model.apply(batch.x, { training: true }) as tf.Tensor[])[1]!) as tf.Scalar,
      batches: (_epoch, rng) => balancedBatches(train, rng, { batchSize: 16, stepsPerEpoch: 1 }),
      validate: (epoch) => ({ loss: losses[epoch]! }),
      onEpoch: (record) => {
        if (record.improved) bestSnapshot = weightsOf(model);
      },
    });
    expect(result).toMatchObject({ epochs: 4, bestEpoch: 1, bestMetric: 0.5, stoppedEarly: true });
    expect(result.history.map((r) => r.improved)).toEqual([true, true, false, false]);
    expect(weightsOf(model)).toEqual(bestSnapshot);
    model.dispose();
  });

  it('leaves the tensor count as it found it, and a worker can run job after job without growing', async () => {
    const memory: Array<{ tensors: number; bytes: number; heap: number }> = [];
    for (let job = 0; job < 4; job++) {
      const model = tinyLcnn();
      const before = tf.memory().numTensors;
      await trainClassifier({ model, train, validation, hp: { ...baseHp, epochs: 1 }, seed: job, checkpoint: { dir: tempDir(), resume: false } });
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
      const heap = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
      memory.push({ tensors: tf.memory().numTensors, bytes: tf.memory().numBytes, heap });
    }
    expect(new Set(memory.map((m) => m.tensors)).size).toBe(1);
    expect(new Set(memory.map((m) => m.bytes)).size).toBe(1);
    // The wasm heap never shrinks; after the first job it must not need to grow either.
    expect(memory.at(-1)!.heap).toBe(memory[1]!.heap);
  });
});

describe('batch normalisation in a custom loop', () => {
  it('updates moving statistics inside tf.variableGrads and uses them at inference', () => {
    const input = tf.input({ shape: [3] });
    const output = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const x = tf.tensor2d([[1, 2, 3], [3, 6, -1], [5, 1, 1], [7, 3, 5]]);
    const { variables, trainable } = modelVariables(model);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, trainable);
    const named: Record<string, number[]> = Object.fromEntries(variables.map(({ name, variable }) => [name.split('/').pop(), Array.from(variable.dataSync())]));
    const columns = [0, 1, 2].map((j) => [1, 2, 3, 4].map((_, i) => x.arraySync()[i]![j]!));
    const mean = columns.map((c) => c.reduce((a, b) => a + b) / 4);
    const variance = columns.map((c, j) => c.reduce((a, b) => a + (b - mean[j]!) ** 2, 0) / 4);
    named['moving_mean']!.forEach((v, j) => expect(v).toBeCloseTo(0.1 * mean[j]!, 5));
    named['moving_variance']!.forEach((v, j) => expect(v).toBeCloseTo(0.9 + 0.1 * variance[j]!, 5));
    const inference = (model.apply(x, { training: false }) as tf.Tensor).arraySync() as number[][];
    inference.forEach((row, i) =>
      row.forEach((v, j) => expect(v).toBeCloseTo((x.arraySync()[i]![j]! - named['moving_mean']![j]!) / Math.sqrt(named['moving_variance']![j]! + 1e-5), 4)),
    );
    tf.dispose([x, value, ...Object.values(grads)]);
    model.dispose();
  });
});
