/**
 * A worker-thread training job for worker.test.ts: sets up its own backend (which registers
 * the replacement kernels in this thread), trains a tiny LCNN for two epochs and posts the
 * final weights and its tensor counts.
 */
import * as tf from '@tensorflow/tfjs';
import { parentPort, workerData } from 'node:worker_threads';
import { buildExpert } from '../../../src/experts/registry.js';
import { initBackend } from '../../../src/nn/backend.js';
import { trainClassifier } from '../../../src/train/classifier.js';
import { stripeSpectra } from './synthetic.js';

export async function tinyJob(seed: number): Promise<{ backend: string; weights: number[]; tensorsBefore: number; tensorsAfter: number }> {
  const info = await initBackend('wasm');
  const { model } = buildExpert({ arch: 'lcnn', width: 0.25, embeddingDim: 16, dropout: 0.2 }, [16, 32], seed);
  const tensorsBefore = tf.memory().numTensors;
  await trainClassifier({
    model,
    train: stripeSpectra(32, 16, 32, 1),
    validation: stripeSpectra(16, 16, 32, 2),
    seed,
    hp: { epochs: 2, lr: 1e-3, weightDecay: 1e-4, schedule: 'cosine', etaMin: 1e-5, patience: null, monitor: 'loss', batchSize: 16, labelSmoothing: 0.1 },
  });
  const tensorsAfter = tf.memory().numTensors;
  const weights = model.weights.flatMap((weight) => Array.from(weight.read().dataSync()));
  model.dispose();
  return { backend: info.name, weights, tensorsBefore, tensorsAfter };
}

if (parentPort !== null && workerData !== null && typeof workerData === 'object' && 'seed' in workerData) {
  parentPort.postMessage(await tinyJob((workerData as { seed: number }).seed));
}
