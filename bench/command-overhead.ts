/**
 * bench/command-overhead: what ablate adds to each job a command trainer runs: scheduling,
 * writing the job file (with every item's path), starting the program and waiting for it,
 * following its event stream, reading its outputs (for evaluation, scoring its score
 * files) and storing the result. Per job: the attempt's wall time (store) minus the
 * program's own (spawn to exit, in the job's summary). The trainer does no work
 * (fake-trainer.mjs, one epoch, no sleep). Goal: under 1% of a 10 s job, i.e. 100 ms.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { expandSweep, loadSweep, planSweep } from '../src/search/index.js';
import { runSweep } from '../src/exec/run-sweep.js';
import { QuietReporter } from '../src/exec/reporters.js';
import { EventTail } from '../src/trainers/events.js';

process.env['ABLATE_JOB_RUNNER'] = 'noop';
process.env['FAKE_EPOCH_MS'] = '0';
const trainer = fileURLToPath(new URL('../tests/fixtures/trainers/fake-trainer.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ablate-command-overhead-'));
const results = join(dir, 'results');
const workers = 2;

function sweep(name: string, seeds: number[]) {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      base: {
        kind: 'single',
        experts: [{ arch: 'lcnn', features: { kind: 'mel' } }],
        pretrain: { epochs: 1 },
        data: {
          clipSeconds: 0.3,
          // 100 clips per class and known domain: pre-training job files list 800 training items.
          datasets: { s: { adapter: 'synth', options: { trainPerClass: 100, devPerClass: 25, evalPerClass: 25 } } },
          train: ['s:d1', 's:d2', 's:d3', 's:d4'],
          evaluate: { known: ['s:d1', 's:d2'], unknown: ['s:d5'] },
        },
        trainer: { command: [process.execPath, trainer] },
      },
      seeds,
    }),
  );
  return planSweep(expandSweep(loadSweep(file)));
}

async function run(name: string, seeds: number[]) {
  const plan = sweep(name, seeds);
  const started = performance.now();
  const { summary } = await runSweep({ plan, spec: {}, resultsDir: results, workers, backend: 'cpu', maxAttempts: 1, reporter: new QuietReporter() });
  if (summary.failures.length > 0) throw new Error(`bench sweep failed: ${summary.failures[0]?.error}`);
  return { seconds: (performance.now() - started) / 1000, jobs: summary.jobsRun };
}

// Generates the corpus (once, in the first job) and warms the workers' caches.
await run('warmup', [0]);
const since = new Date().toISOString();
const { seconds, jobs } = await run('timed', Array.from({ length: 20 }, (_, i) => i + 1));

const db = new Database(join(results, 'ablate.db'), { readonly: true });
const rows = db
  .prepare(
    `SELECT a.started_at AS started, a.ended_at AS ended, j.summary AS summary FROM attempts a JOIN jobs j ON j.key = a.job_key
     WHERE a.started_at >= ? AND j.kind != 'features' AND a.state = 'done'`,
  )
  .all(since) as Array<{ started: string; ended: string; summary: string }>;
db.close();
const trainerMs = rows.map((r) => (JSON.parse(r.summary) as { trainerSeconds: number }).trainerSeconds * 1000);
const overheads = rows.map((r, i) => Date.parse(r.ended) - Date.parse(r.started) - (trainerMs[i] as number));
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

// Event parsing: 10 000 epoch lines read back as a trainer appends them.
const events = join(dir, 'events.jsonl');
const tail = new EventTail(events);
const line = `${JSON.stringify({ event: 'epoch', epoch: 1, epochs: 100, metrics: { loss: 0.41, valLoss: 0.38, valEer: 0.052, lr: 0.0001 } })}\n`;
let parsed = 0;
const t0 = performance.now();
for (let i = 0; i < 100; i++) {
  appendFileSync(events, line.repeat(100));
  parsed += tail.read().length;
}
const perEvent = ((performance.now() - t0) * 1000) / parsed;

console.log(`${rows.length} command jobs (20 pre-training, 20 evaluation) on ${workers} workers: ${seconds.toFixed(2)} s, ${jobs} run`);
console.log(`  the trainer's own time per job (spawn to exit; mostly starting Node): median ${median(trainerMs).toFixed(0)} ms`);
console.log(`  ablate's overhead per job (attempt wall time minus the trainer's): mean ${mean(overheads).toFixed(1)} ms, median ${median(overheads).toFixed(1)} ms`);
const sorted = [...overheads].sort((a, b) => b - a);
// Each worker thread's first job also loads ablate's modules and the dataset listing, once per run.
const steady = sorted.slice(workers);
console.log(`  largest: ${sorted.slice(0, 4).map((ms) => ms.toFixed(0)).join(', ')} ms (each worker's first job: modules and dataset listing, once per run)`);
console.log(`  -> ${(median(overheads) / 100).toFixed(2)}% of a 10 s job at the median, ${(mean(steady) / 100).toFixed(2)}% on average after each worker's first job, ${(mean(overheads) / 100).toFixed(2)}% with them (goal < 1%)`);
console.log(`  event parsing: ${perEvent.toFixed(1)} µs per event line (validated against the schema)`);
rmSync(dir, { recursive: true, force: true });
