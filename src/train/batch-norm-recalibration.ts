import * as tf from '@tensorflow/tfjs';
import { deriveSeed, Rng } from '../util/rng.js';
import { withStepSeed } from '../nn/step-seed.js';
import { BatchNorm } from '../nn/batch-norm.js';

interface MomentumLayer {
  momentum: number;
}

/**
 * "Precise BN" (Wu & Johnson, Rethinking "Batch" in BatchNorm, 2021): replace a model's
 * batch-norm moving statistics by the average of the batch statistics over the training
 * data under the current weights. The moving averages lag the weights by about
 * 1 / (1 - momentum) steps; in the short trainings of a CPU-sized sweep (tens of steps,
 * weights still moving fast) inference then ran on statistics of an older model, and an
 * LCNN that fitted its training batches scored near chance on the same items in inference.
 * One training-mode forward pass over the data with momentum i / (i + 1) at batch i makes
 * each moving statistic the plain mean over batches. Only the statistics change; the
 * batches come from a seeded shuffle, so the result is reproducible (and resumes alike).
 */
export function recalibrateBatchNorm(
  model: tf.LayersModel,
  data: { x: Float32Array; itemShape: number[] },
  options: { batchSize: number; seed: number; /** At most this many items (a seeded sample): an epoch's worth is plenty. */ maxItems?: number },
): void {
  const layers = model.layers.filter((layer) => layer instanceof BatchNorm || layer.getClassName() === 'BatchNormalization') as unknown as MomentumLayer[];
  if (layers.length === 0) return;
  const size = data.itemShape.reduce((a, b) => a * b, 1);
  const order = new Rng(options.seed).shuffle(Array.from({ length: data.x.length / size }, (_, i) => i)).slice(0, options.maxItems);
  const count = order.length;
  const saved = layers.map((layer) => layer.momentum);
  try {
    let batch = 0;
    // A batch of one has no variance to measure: the remainder joins the last full batch's count only if >= 2.
    for (let start = 0; start + 2 <= count; start += options.batchSize) {
      const rows = order.slice(start, Math.min(count, start + options.batchSize));
      const values = new Float32Array(rows.length * size);
      rows.forEach((row, i) => values.set(data.x.subarray(row * size, (row + 1) * size), i * size));
      for (const layer of layers) layer.momentum = batch / (batch + 1);
      withStepSeed(deriveSeed(options.seed, 'batch', batch), () =>
        tf.tidy(() => {
          model.apply(tf.tensor(values, [rows.length, ...data.itemShape]), { training: true });
        }),
      );
      batch++;
    }
  } finally {
    layers.forEach((layer, i) => {
      layer.momentum = saved[i] as number;
    });
  }
}

/**
 * The recalibration the training loops run before each validation (none under `running`): batches as in
 * training, at most one epoch's worth of items (when the epoch is capped in steps).
 */
export function recalibrateForValidation(
  model: tf.LayersModel,
  data: { x: Float32Array; itemShape: number[] },
  hp: { batchSize: number; stepsPerEpoch?: number | undefined; validationNorm?: 'recalibrate' | 'running' | undefined },
  seed: number,
): void {
  // `training.validationNorm: running`: validate on the moving statistics training left.
  if (hp.validationNorm === 'running') return;
  recalibrateBatchNorm(model, data, {
    batchSize: hp.batchSize,
    seed,
    ...(hp.stepsPerEpoch !== undefined ? { maxItems: hp.stepsPerEpoch * hp.batchSize } : {}),
  });
}
