/**
 * Batch normalisation on the wasm backend: one training step (forward in training mode,
 * backward to the input, gamma and beta) and one inference pass through tfjs-layers'
 * BatchNormalization and through ablate's BatchNorm (src/nn/batch-norm.ts), at the
 * activation shapes of the mile-grid ResNet's three stages; then a whole training step and
 * inference throughput of that ResNet (log-mel 32 x 101, width 0.375, depth [1, 1, 1]),
 * which uses ablate's layer.
 *
 *   npm run bench -- batch-norm        (or npx tsx bench/batch-norm.ts [--repeats 5])
 *
 * Each figure is the median of --repeats timed runs after two warm-up runs. Prints figures;
 * asserts nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { resolveExpertSpec } from '../src/config/expert-spec.js';
import { buildResnet } from '../src/experts/resnet.js';
import { initBackend } from '../src/nn/backend.js';
import { BatchNorm } from '../src/nn/batch-norm.js';

const repeatsAt = process.argv.indexOf('--repeats');
const repeats = repeatsAt >= 0 ? Number(process.argv[repeatsAt + 1]) : 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function time(run: () => void): number {
  run();
  run();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function layerStep(layer: tf.layers.Layer, shape: number[]): { train: number; infer: number } {
  // A variable, so the step differentiates to the input as well (as inside a network).
  const x = tf.variable(tf.randomNormal(shape, 0, 1, 'float32', 1));
  const r = tf.randomNormal(shape, 0, 1, 'float32', 2);
  layer.apply(tf.input({ shape: shape.slice(1) }));
  const variables = [x, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
  const train = time(() =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, r)) as tf.Scalar, variables);
      value.dataSync();
      Object.values(grads).forEach((g) => g.dataSync());
    }),
  );
  const infer = time(() => tf.tidy(() => void (layer.apply(x, { training: false }) as tf.Tensor).dataSync()));
  return { train, infer };
}

const backend = await initBackend('wasm');
console.log(`backend: ${backend.detail}`);
console.log('one layer (ms): shape | stock train | ablate train | stock inference | ablate inference');
for (const shape of [
  [32, 32, 101, 12],
  [32, 16, 51, 24],
  [32, 8, 26, 48],
]) {
  const stock = layerStep(tf.layers.batchNormalization({ epsilon: 1e-5, momentum: 0.9 }), shape);
  const ours = layerStep(new BatchNorm({ name: `bn_${shape.join('x')}`, epsilon: 1e-5, momentum: 0.9 }), shape);
  console.log(`  [${shape.join(', ')}] | ${stock.train.toFixed(1)} | ${ours.train.toFixed(1)} | ${stock.infer.toFixed(1)} | ${ours.infer.toFixed(1)}`);
}

const spec = resolveExpertSpec({ arch: 'resnet', width: 0.375, depth: [1, 1, 1], embeddingDim: 32 });
const { model } = buildResnet(spec, [32, 101], { name: 'bench_resnet', seed: 1 });
const batch = 32;
const x = tf.randomNormal([batch, 32, 101], 0, 1, 'float32', 3);
const labels = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 2), 'int32'), 2);
const optimizer = tf.train.adam(1e-3);
const step = time(() =>
  tf.tidy(() => {
    optimizer.minimize(() => {
      const [, logits] = model.apply(x, { training: true }) as tf.Tensor[];
      return tf.losses.softmaxCrossEntropy(labels, logits as tf.Tensor) as tf.Scalar;
    });
  }),
);
const evalBatch = tf.randomNormal([256, 32, 101], 0, 1, 'float32', 4);
const infer = time(() => tf.tidy(() => void (model.predict(evalBatch, { batchSize: 64 }) as tf.Tensor[])[1]?.dataSync()));
console.log(`ResNet x0.375 on log-mel [32, 101]: training step at batch ${batch} ${step.toFixed(0)} ms; inference ${((256 / infer) * 1000).toFixed(0)} clips/s`);
