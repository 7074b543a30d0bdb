/**
 * Training throughput of the LCNN expert (the authors' layer table) on the backend `auto`
 * picks, next to PyTorch on the same machine and shapes (bench/train_torch.py, when
 * Debian's python3-torch is installed), in one worker and in several worker threads at
 * once (how ablate uses more than one core: threads are off inside the wasm backend).
 *
 *   npx tsx bench/train.ts [--bins 64] [--frames 128] [--batch 32] [--steps 6] [--width 1] [--workers 2] [--repeats 3] [--no-torch]
 *
 * Each figure is the best of --repeats runs (the machine may be shared; the best run is the
 * one least disturbed), with the median beside it.
 *
 * Every step is a real trainLoop step: a class-balanced batch built in JS, forward and
 * backward in training mode, AdamW. Prints figures; asserts nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { buildExpert } from '../src/experts/registry.js';
import { initBackend } from '../src/nn/backend.js';
import { balancedBatches, type Batch, type LabelledArray } from '../src/train/batches.js';
import { softmaxCrossEntropy } from '../src/train/loss.js';
import { logitsOf } from '../src/train/scores.js';
import { trainLoop } from '../src/train/train-loop.js';
import { modelVariables } from '../src/nn/variables.js';
import { Rng } from '../src/util/rng.js';

interface Options {
  bins: number;
  frames: number;
  batch: number;
  steps: number;
  warmup: number;
  width: number;
  workers: number;
  repeats: number;
  torch: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { bins: 64, frames: 128, batch: 32, steps: 6, warmup: 2, width: 1, workers: 2, repeats: 3, torch: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--no-torch') options.torch = false;
    else if (flag?.startsWith('--') && flag.slice(2) in options) {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number`);
      (options as unknown as Record<string, number>)[flag.slice(2)] = value;
    } else throw new Error(`unknown argument ${flag}`);
  }
  return options;
}

function syntheticData(options: Options, seed: number): LabelledArray {
  const rng = new Rng(seed);
  const count = 4 * options.batch;
  const x = new Float32Array(count * options.bins * options.frames);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  return { x, itemShape: [options.bins, options.frames], labels: Array.from({ length: count }, (_, i) => i % 2) };
}

/** Train warmup + steps batches; returns the seconds of the steps after warm-up. */
async function timeTraining(options: Options, seed: number, beforeTimedSteps: () => Promise<void> = async () => {}): Promise<{ seconds: number; backend: string }> {
  const info = await initBackend('auto');
  const { model } = buildExpert({ arch: 'lcnn', width: options.width }, [options.bins, options.frames], seed);
  const data = syntheticData(options, seed);
  const { variables, trainable } = modelVariables(model);
  let start = 0;
  let end = 0;
  await trainLoop<Batch>({
    variables,
    trainable,
    hp: { epochs: 1, lr: 1e-4, weightDecay: 1e-4, schedule: 'cosine', etaMin: 1e-5, patience: null, monitor: 'loss' },
    seed,
    lossFn: (batch) => softmaxCrossEntropy(logitsOf(model.apply(batch.x, { training: true }) as tf.Tensor[]), batch.labels, 0.2),
    batches: (_epoch, rng) => balancedBatches(data, rng, { batchSize: options.batch, stepsPerEpoch: options.warmup + options.steps }),
    validate: () => ({ loss: 0 }),
    onStep: async ({ step }) => {
      if (step === options.warmup) {
        await beforeTimedSteps();
        start = performance.now();
      }
      end = performance.now();
    },
  });
  model.dispose();
  return { seconds: (end - start) / 1000, backend: `${info.name} (${info.detail})` };
}

function runTorch(options: Options, threads: number): { samplesPerSecond: number; torch: string } | string {
  const python = '/usr/bin/python3';
  const script = fileURLToPath(new URL('./train_torch.py', import.meta.url));
  const args = [script, '--bins', `${options.bins}`, '--frames', `${options.frames}`, '--batch', `${options.batch}`, '--steps', `${options.steps}`, '--threads', `${threads}`, '--width', `${options.width}`];
  const result = spawnSync(python, args, { encoding: 'utf8' });
  if (result.error !== undefined || result.status !== 0) return `not run (${result.error?.message ?? result.stderr.trim().split('\n').at(-1) ?? 'failed'})`;
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as { samplesPerSecond: number; torch: string };
}

async function inParallel(options: Options): Promise<number> {
  // From the TypeScript source (npx tsx) a worker must register tsx's loader itself: Node 20
  // does not apply --import hooks to a worker's entry module.
  const entry = import.meta.url.endsWith('.ts')
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`
    : fileURLToPath(import.meta.url);
  const workers = Array.from({ length: options.workers }, (_, i) => new Worker(entry, { eval: entry.startsWith('import('), workerData: { options, seed: i + 1 } }));
  let ready = 0;
  const results = workers.map(
    (worker) =>
      new Promise<number>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('message', (message: { ready?: true; seconds?: number }) => {
          if (message.ready && ++ready === workers.length) for (const w of workers) w.postMessage('go');
          if (message.seconds !== undefined) resolve(message.seconds);
        });
      }),
  );
  const seconds = await Promise.all(results);
  await Promise.all(workers.map((worker) => worker.terminate()));
  return (options.workers * options.batch * options.steps) / Math.max(...seconds);
}

async function workerMain(): Promise<void> {
  const { options, seed } = workerData as { options: Options; seed: number };
  // All workers warm up, then start the timed steps together.
  const go = new Promise<void>((resolve) => parentPort?.once('message', () => resolve()));
  const { seconds } = await timeTraining(options, seed, async () => {
    parentPort?.postMessage({ ready: true });
    await go;
  });
  parentPort?.postMessage({ seconds });
}

function bestAndMedian(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  return `${(sorted.at(-1) ?? Number.NaN).toFixed(1)} samples/s (median ${median.toFixed(1)} of ${values.length})`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  console.log(`LCNN training, input ${options.bins}x${options.frames}, batch ${options.batch}, width ${options.width}; ${options.warmup} warm-up + ${options.steps} timed steps`);
  const single: number[] = [];
  let backend = '';
  for (let run = 0; run < options.repeats; run++) {
    const result = await timeTraining(options, 1);
    backend = result.backend;
    single.push((options.batch * options.steps) / result.seconds);
  }
  const ours = Math.max(...single);
  console.log(`backend (auto):             ${backend}`);
  console.log(`ablate, 1 worker:           ${bestAndMedian(single)}, ${((1000 * options.batch) / ours).toFixed(0)} ms/step at best`);
  let parallel: number | null = null;
  if (options.workers > 1) {
    const runs: number[] = [];
    for (let run = 0; run < options.repeats; run++) runs.push(await inParallel(options));
    parallel = Math.max(...runs);
    console.log(`ablate, ${options.workers} workers at once:   ${bestAndMedian(runs)} together`);
  }
  if (!options.torch) return;
  for (const threads of [1, 2]) {
    const runs: number[] = [];
    let version = '';
    let failure = '';
    for (let run = 0; run < options.repeats && failure === ''; run++) {
      const torch = runTorch(options, threads);
      if (typeof torch === 'string') failure = torch;
      else {
        runs.push(torch.samplesPerSecond);
        version = torch.torch;
      }
    }
    if (failure !== '') {
      console.log(`PyTorch, ${threads} thread(s):        ${failure}`);
      continue;
    }
    console.log(`PyTorch ${version}, ${threads} thread(s): ${bestAndMedian(runs)}`);
    if (threads === 2) {
      const torchBest = Math.max(...runs);
      console.log(`ratio ablate/PyTorch(2 threads), best runs: 1 worker ${(ours / torchBest).toFixed(2)}x` + (parallel === null ? '' : `, ${options.workers} workers ${(parallel / torchBest).toFixed(2)}x`));
    }
  }
}

if (isMainThread) await main();
else await workerMain();
