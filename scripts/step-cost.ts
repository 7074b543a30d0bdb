/**
 * Issue 19 investigation: CPU seconds (process.cpuUsage, so a busy machine inflates wall
 * time but hardly this) of one training step, batch 32, for the expert shapes a re-sized
 * mile-grid might use. One thread (the wasm backend ablate's workers use).
 *
 *   tsx scripts/step-cost.ts [name-substring]
 */
import * as tf from '@tensorflow/tfjs';
import { buildExpert } from '../src/experts/registry.js';
import { initBackend } from '../src/nn/backend.js';
import { balancedBatches, type Batch, type LabelledArray } from '../src/train/batches.js';
import { softmaxCrossEntropy } from '../src/train/loss.js';
import { logitsOf } from '../src/train/scores.js';
import { trainLoop } from '../src/train/train-loop.js';
import { modelVariables } from '../src/nn/variables.js';
import { Rng } from '../src/util/rng.js';

const frames = 101;
const configs: Array<[string, Record<string, unknown>, number]> = [
  ['lcnn mel32 w0.25', { arch: 'lcnn', width: 0.25, embeddingDim: 32 }, 32],
  ['resnet mel32 w0.25', { arch: 'resnet', width: 0.25, depth: [1, 1, 1], embeddingDim: 32 }, 32],
  ['resnet mel48 w0.25', { arch: 'resnet', width: 0.25, depth: [1, 1, 1], embeddingDim: 32 }, 48],
  ['resnet mel64 w0.25', { arch: 'resnet', width: 0.25, depth: [1, 1, 1], embeddingDim: 32 }, 64],
  ['resnet mel32 w0.375', { arch: 'resnet', width: 0.375, depth: [1, 1, 1], embeddingDim: 32 }, 32],
  ['resnet mel32 w0.5', { arch: 'resnet', width: 0.5, depth: [1, 1, 1], embeddingDim: 32 }, 32],
  ['resnet logspec33 w0.25', { arch: 'resnet', width: 0.25, depth: [1, 1, 1], embeddingDim: 32 }, 33],
];
await initBackend('auto');
const only = process.argv[2];
for (const [name, spec, bins] of configs.filter(([n]) => only === undefined || n.includes(only))) {
  const { model } = buildExpert(spec as never, [bins, frames], 1);
  const rng = new Rng(1);
  const count = 128;
  const x = new Float32Array(count * bins * frames);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const data: LabelledArray = { x, itemShape: [bins, frames], labels: Array.from({ length: count }, (_, i) => i % 2) };
  const { variables, trainable } = modelVariables(model);
  const warmup = 2;
  const steps = 5;
  let start = process.cpuUsage();
  await trainLoop<Batch>({
    variables,
    trainable,
    hp: { epochs: 1, lr: 1e-4, weightDecay: 1e-4, schedule: 'cosine', etaMin: 1e-5, patience: null, monitor: 'loss' },
    seed: 1,
    lossFn: (batch) => softmaxCrossEntropy(logitsOf(model.apply(batch.x, { training: true }) as tf.Tensor[]), batch.labels, 0.1),
    batches: (_epoch, r) => balancedBatches(data, r, { batchSize: 32, stepsPerEpoch: warmup + steps }),
    validate: () => ({ loss: 0 }),
    onStep: ({ step }) => {
      if (step === warmup) start = process.cpuUsage();
    },
  });
  const cpu = process.cpuUsage(start);
  console.log(`${name}: ${((cpu.user + cpu.system) / 1e6 / (steps - 1)).toFixed(3)} CPU-s per step`);
  model.dispose();
}
