/**
 * bench/plan: time to validate, expand and plan a 100 000-trial grid (goal: under 2 s).
 * Run: npx tsx bench/plan.ts [trials-per-axis-factor]
 */
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSweep, expandSweep, planSweep } from '../src/search/index.js';

const levels = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
const sweep = {
  name: 'bench-100k',
  base: {
    experts: [
      { arch: 'lcnn', features: { kind: 'mel', nMels: 40 } },
      { arch: 'resnet', features: { kind: 'mel', nMels: 40 } },
      { arch: 'resnet', features: { kind: 'logspec' } },
    ],
    data: { datasets: { s: { adapter: 'synth' } }, train: ['s:d1', 's:d2'], evaluate: { known: ['s:d1'], unknown: ['s:d5'] } },
  },
  grid: {
    'gate.type': ['mlp', 'transformer'],
    'moe.loss': ['shared', 'separate'],
    'routing': [{ mode: 'soft' }, { mode: 'topk', k: 1 }, { mode: 'topk', k: 2 }, { mode: 'noisy-topk', k: 2 }, { mode: 'topk', k: 3 }],
    'train.lr': levels(10, (i) => 1e-4 * (i + 1)),
    'gate.dropout': levels(25, (i) => i / 50),
  },
  seeds: levels(Number(process.env.BENCH_SEEDS ?? 20), (i) => i),
};

const dir = mkdtempSync(join(tmpdir(), 'ablate-bench-'));
const file = join(dir, 'sweep.json');
writeFileSync(file, JSON.stringify(sweep));
const t0 = performance.now();
const loaded = loadSweep(file);
const t1 = performance.now();
const space = expandSweep(loaded);
const t2 = performance.now();
const plan = planSweep(space);
const t3 = performance.now();
rmSync(dir, { recursive: true, force: true });

console.log(`trials: ${space.trials.length}, distinct jobs: ${plan.jobs.size}`);
console.log(`validate: ${(t1 - t0).toFixed(0)} ms`);
console.log(`expand + resolve + dedupe: ${(t2 - t1).toFixed(0)} ms`);
console.log(`plan jobs: ${(t3 - t2).toFixed(0)} ms`);
console.log(`total: ${((t3 - t0) / 1000).toFixed(2)} s (goal < 2 s)`);
console.log(`heap used: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
