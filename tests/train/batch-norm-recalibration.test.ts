import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/nn/backend.js';
import { recalibrateBatchNorm } from '../../src/train/batch-norm-recalibration.js';
import { Rng } from '../../src/util/rng.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('recalibrateBatchNorm (precise BN)', () => {
  it('sets the moving statistics to the mean of the batch statistics over the data, and restores the momentum', () => {
    const input = tf.input({ shape: [3] });
    const bn = tf.layers.batchNormalization({ momentum: 0.9 });
    const model = tf.model({ inputs: input, outputs: bn.apply(input) as tf.SymbolicTensor });
    const rng = new Rng(3);
    const count = 64;
    const x = Float32Array.from({ length: count * 3 }, (_, i) => 5 * (i % 3) + 2 * rng.normal());
    // Moving statistics far from the data, as after a short training.
    model.predict(tf.zeros([1, 3]));
    (bn as unknown as { movingMean: tf.LayerVariable }).movingMean.write(tf.fill([3], 100));
    const before = tf.memory().numTensors;
    recalibrateBatchNorm(model, { x, itemShape: [3] }, { batchSize: 16, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    const moving = (bn as unknown as { movingMean: tf.LayerVariable }).movingMean.read().arraySync() as number[];
    // Equal batches: the mean of the batch means is the mean of the data.
    for (let feature = 0; feature < 3; feature++) {
      let sum = 0;
      for (let i = 0; i < count; i++) sum += x[i * 3 + feature] as number;
      expect(moving[feature]).toBeCloseTo(sum / count, 4);
    }
    expect((bn as unknown as { momentum: number }).momentum).toBe(0.9);
  });
});
