/**
 * Peak memory of a training step on the wasm backend against ablate's plan-time estimate
 * (src/train/memory), for a few model sizes: what the estimate's factors are calibrated on.
 *
 *   npx tsx bench/memory.ts                 # the calibration set, each in its own process
 *   npx tsx bench/memory.ts --one '<json>'  # one measurement (what the set runs)
 *
 * The measurement is the size of the wasm module's heap after warm-up and two real
 * trainLoop steps (forward and backward in training mode, AdamW): a WebAssembly.Memory
 * only grows, so its size is the peak, fragmentation and the runtime's own included; each
 * case runs in a fresh process so one's heap never carries into another's. Prints figures;
 * asserts nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ResolvedExpert } from '../src/config/schema/index.js';
import { initBackend } from '../src/nn/backend.js';
import { balancedBatches, type Batch, type LabelledArray } from '../src/train/batches.js';
import { softmaxCrossEntropy } from '../src/train/loss.js';
import { logitsOf } from '../src/train/scores.js';
import { trainLoop } from '../src/train/train-loop.js';
import { modelVariables } from '../src/nn/variables.js';
import { buildTrialExpert } from '../src/jobs/expert-model.js';
import { featureShape } from '../src/data/features/compute.js';
import { modelSize } from '../src/jobs/memory/model-size.js';
import { trainingPeak } from '../src/jobs/memory/estimate.js';
import { Rng } from '../src/util/rng.js';

interface Case {
  expert: ResolvedExpert;
  batch: number;
  clipSeconds: number;
}

const mel = { kind: 'mel', nFft: 512, winLength: 400, hopLength: 160, window: 'hamming', fMin: 20, fMax: 7600, nMels: 40 } as ResolvedExpert['features'];
const logspec = { kind: 'logspec', nFft: 512, winLength: 400, hopLength: 160, window: 'hann' } as ResolvedExpert['features'];

/** The three architectures at a few sizes (and a second batch size of one) that fit a shared 2-core machine in minutes. */
const calibration: Case[] = [
  { expert: { arch: 'lcnn', width: 0.5, features: mel }, batch: 16, clipSeconds: 2 },
  { expert: { arch: 'resnet', width: 0.25, features: mel }, batch: 16, clipSeconds: 2 },
  { expert: { arch: 'resnet', width: 0.5, features: mel }, batch: 8, clipSeconds: 2 },
  { expert: { arch: 'resnet', width: 0.5, features: mel }, batch: 16, clipSeconds: 2 },
  { expert: { arch: 'resnet', width: 0.25, features: logspec }, batch: 8, clipSeconds: 2 },
  { expert: { arch: 'lcnn', width: 1, features: mel }, batch: 32, clipSeconds: 2 },
  { expert: { arch: 'sincnet', width: 0.5, features: { kind: 'waveform' } as ResolvedExpert['features'] }, batch: 8, clipSeconds: 1 },
];

function heapBytes(): number {
  return (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
}

async function measure(c: Case): Promise<void> {
  await initBackend('wasm');
  const runtime = heapBytes();
  const sampleRate = 16000;
  const matrix = featureShape(Math.round(c.clipSeconds * sampleRate), sampleRate, c.expert.features);
  // The waveform "feature" is [1, samples]; the SincNet takes [samples].
  const shape = c.expert.features.kind === 'waveform' ? [matrix[1]] : matrix;
  const { model } = buildTrialExpert(c.expert, shape, 1, sampleRate, 'bench');
  const rng = new Rng(1);
  const count = 2 * c.batch;
  const x = new Float32Array(count * shape.reduce((p, d) => p * d, 1));
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const data: LabelledArray = { x, itemShape: shape, labels: Array.from({ length: count }, (_, i) => i % 2) };
  const { variables, trainable } = modelVariables(model);
  const started = performance.now();
  await trainLoop<Batch>({
    variables,
    trainable,
    hp: { epochs: 1, lr: 1e-4, weightDecay: 1e-4, schedule: 'cosine', etaMin: 1e-5, patience: null, monitor: 'loss' },
    seed: 1,
    lossFn: (batch) => softmaxCrossEntropy(logitsOf(model.apply(batch.x, { training: true }) as tf.Tensor[]), batch.labels, 0.2),
    batches: (_epoch, r) => balancedBatches(data, r, { batchSize: c.batch, stepsPerEpoch: 2 }),
    validate: () => ({ loss: 0 }),
  });
  const measured = heapBytes();
  await tf.setBackend('cpu');
  const size = modelSize(c.expert, { sampleRate, clipSeconds: c.clipSeconds });
  const estimate = trainingPeak([size], c.batch, 'wasm');
  console.log(
    JSON.stringify({ case: label(c), shape, batch: c.batch, activationsPerItem: size.activationsPerItem, params: size.params, runtimeBytes: runtime, measuredBytes: measured, estimateBytes: estimate.bytes, seconds: (performance.now() - started) / 1000 }),
  );
}

function label(c: Case): string {
  return `${c.expert.arch} x${c.expert.width ?? 1} ${c.expert.features.kind}`;
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--one') return measure(JSON.parse(args[1] as string) as Case);
  console.log('wasm backend: heap after two training steps (the peak) vs the plan-time estimate');
  for (const c of calibration) {
    const result = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--one', JSON.stringify(c)], { encoding: 'utf8' });
    const line = result.stdout.trim().split('\n').at(-1) ?? '';
    if (result.status !== 0 || !line.startsWith('{')) {
      console.log(`${label(c)} batch ${c.batch}: failed (${result.stderr.trim().split('\n').at(-1) ?? result.status})`);
      continue;
    }
    const r = JSON.parse(line) as { shape: number[]; activationsPerItem: number; params: number; measuredBytes: number; estimateBytes: number; runtimeBytes: number };
    console.log(
      `${label(c).padEnd(22)} input ${r.shape.join('x')}, batch ${String(c.batch).padStart(2)}: ${(r.activationsPerItem / 1e6).toFixed(2)} M activations/item, ${(r.params / 1e6).toFixed(2)} M weights; ` +
        `measured ${mib(r.measuredBytes)}, estimate ${mib(r.estimateBytes)} (${((100 * r.estimateBytes) / r.measuredBytes).toFixed(0)} %)`,
    );
    console.log(`  raw ${line}`);
  }
}

await main();
