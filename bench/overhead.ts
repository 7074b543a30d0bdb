/**
 * bench/overhead: what the orchestration costs per job. Every job of a sweep runs with the
 * no-op job kind (ABLATE_JOB_RUNNER=noop) on the real Piscina pool and SQLite store, so the
 * wall time is scheduling, the worker round trip, and storing the attempt and its result.
 * Goal: under 1% of a sweep whose jobs take a second, i.e. under 10 ms per job.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandSweep, loadSweep, planSweep } from '../src/search/index.js';
import { runSweep } from '../src/exec/run-sweep.js';
import { QuietReporter } from '../src/exec/reporters.js';

process.env['ABLATE_JOB_RUNNER'] = 'noop';
const dir = mkdtempSync(join(tmpdir(), 'ablate-overhead-'));
const sweepFile = join(dir, 'overhead.json');
writeFileSync(
  sweepFile,
  JSON.stringify({
    name: 'overhead',
    base: {
      experts: [{ arch: 'lcnn', features: { kind: 'mel' } }, { arch: 'resnet', features: { kind: 'mel' } }],
      data: { datasets: { s: { adapter: 'synth' } }, train: ['s:d1'], evaluate: { known: ['s:d1'] } },
    },
    grid: { 'gate.hidden': Array.from({ length: 50 }, (_, i) => 8 + i), 'moe.loss': ['shared', 'separate'] },
    seeds: [0, 1, 2, 3, 4],
  }),
);
const plan = planSweep(expandSweep(loadSweep(sweepFile)));
const workers = 2;
for (const label of ['cold (new store)', 'warm rerun (all done)']) {
  const started = performance.now();
  const { summary } = await runSweep({
    plan,
    spec: {},
    resultsDir: join(dir, 'results'),
    workers,
    backend: 'cpu',
    maxAttempts: 1,
    reporter: new QuietReporter(),
  });
  const seconds = (performance.now() - started) / 1000;
  const perJob = summary.jobsRun > 0 ? (seconds * 1000) / summary.jobsRun : 0;
  console.log(`${label}: ${plan.space.trials.length} trials, ${plan.jobs.size} jobs, ${summary.jobsRun} run, ${seconds.toFixed(2)} s total`);
  if (summary.jobsRun > 0) {
    console.log(`  per job (wall, ${workers} workers): ${perJob.toFixed(2)} ms -> ${(perJob / 10).toFixed(3)}% of a 1 s job (goal < 1%)`);
    console.log(`  per job of worker time: ${(perJob * workers).toFixed(2)} ms`);
  }
}
rmSync(dir, { recursive: true, force: true });
