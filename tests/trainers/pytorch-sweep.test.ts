import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { findTorchPython } from './support/python.js';

const found = findTorchPython(['torch', 'torchaudio']);
if (found.python === null) console.warn(`skipping the PyTorch trainer sweep test: ${found.reason}`);
const env = { ABLATE_PYTHON: found.python ?? '' };

const MOE_EPOCHS = 30;

/** sweeps/smoke.json reduced: a smaller corpus and one mixture (Python's start-up, not training, dominates each job). */
function smokeSweep(dir: string): string {
  const sweep = JSON.parse(readFileSync(join(repoRoot, 'sweeps', 'smoke.json'), 'utf8')) as Record<string, any>;
  delete sweep['$schema'];
  sweep['base'].data.datasets.synth.options = { trainPerClass: 8, devPerClass: 3, evalPerClass: 4 };
  // One mixture (top-1 routing, the harder path: skipped experts, unrouted mass) and the single baseline.
  sweep['grid'] = { routing: [{ mode: 'topk', k: 1 }] };
  // Enough mixture epochs (0.1 s each here) that a kill seen after epoch 1 lands mid-training.
  sweep['base'].train = { ...sweep['base'].train, epochs: MOE_EPOCHS, patience: MOE_EPOCHS };
  const file = join(dir, 'smoke.json');
  writeFileSync(file, JSON.stringify(sweep, null, 2));
  return file;
}

function exportJson(results: string): string {
  const result = runCli(['export', 'smoke', '--results', results, '--format', 'json']);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** Run until `pattern` shows in the output, then `interrupt(match)`; resolves when ablate exits. */
async function runUntil(args: string[], pattern: RegExp, interrupt: (match: RegExpExecArray, child: ReturnType<typeof startCli>) => void): Promise<{ match: RegExpExecArray | null; output: string }> {
  const child = startCli(args, { env });
  let output = '';
  let match: RegExpExecArray | null = null;
  await new Promise<void>((resolve) => {
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
      const m = pattern.exec(output);
      if (m && !match) {
        match = m;
        interrupt(m, child);
      }
    });
    child.stderr?.on('data', (chunk) => {
      output += String(chunk);
    });
    child.on('exit', () => resolve());
  });
  return { match, output };
}

function attemptsOf(results: string, job: string): Array<{ state: string }> {
  const db = new Database(join(results, 'ablate.db'), { readonly: true });
  try {
    return db.prepare('SELECT state FROM attempts WHERE job_key = ? ORDER BY number').all(job) as Array<{ state: string }>;
  } finally {
    db.close();
  }
}

function epochsOf(eventsFile: string): number[] {
  return readFileSync(eventsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: string; epoch?: number })
    .filter((e) => e.event === 'epoch')
    .map((e) => e.epoch as number);
}

describe.skipIf(found.python === null)('the PyTorch trainer on the smoke sweep', () => {
  it('runs it end to end, and kill -9 or Ctrl-C plus resume give the same export as an uninterrupted run', async () => {
    const dir = tempDir('ablate-pytorch-');
    const sweep = smokeSweep(dir);
    const reference = join(dir, 'reference');
    const clean = runCli(['run', sweep, '--trainer', 'pytorch', '--results', reference, '--workers', '2', '--quiet'], { env });
    expect(clean.status, clean.stdout + clean.stderr).toBe(0);
    const expected = exportJson(reference);
    const rows = JSON.parse(expected) as Array<{ kind: string; dataset: string; metrics: { eer: number | null } }>;
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['moe', 'single']));
    expect(rows.filter((r) => r.dataset === '__all__').every((r) => typeof r.metrics.eer === 'number')).toBe(true);
    // Per-item gate weights reached the store (the report's gating figures read them).
    const db = new Database(join(reference, 'ablate.db'), { readonly: true });
    const gates = db.prepare('SELECT job_key, dataset, SUM(mean_weight) AS total FROM gate_weights GROUP BY job_key, dataset').all() as Array<{ total: number }>;
    db.close();
    // One mixture x three evaluation sets; top-1 with router weighting leaves mass to chance, so at most 1.
    expect(gates.length).toBe(3);
    for (const { total } of gates) expect(total).toBeLessThanOrEqual(1 + 1e-6);

    // kill -9 of ablate and of the trainer (a power cut) after the first mixture epoch's checkpoint.
    const killed = join(dir, 'killed');
    const cut = await runUntil(['run', sweep, '--trainer', 'pytorch', '--results', killed, '--workers', '1'], /(train-moe-[0-9a-f]+)\s+moe epoch 1\/30/, (m, child) => {
      const pidFile = join(killed, 'jobs', m[1] as string, 'trainer', 'pid');
      if (existsSync(pidFile)) {
        try {
          process.kill(-Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
        } catch {
          // Already finished.
        }
      }
      child.kill('SIGKILL');
    });
    const killedJob = cut.match?.[1] as string;
    expect(killedJob, cut.output).toBeDefined();
    const resumed = runCli(['resume', 'smoke', '--results', killed, '--workers', '2', '--quiet'], { env });
    expect(resumed.status, resumed.stdout + resumed.stderr).toBe(0);
    expect(attemptsOf(killed, killedJob).map((a) => a.state)).toEqual(['interrupted', 'done']);
    // The second attempt continued from the last checkpoint the first one wrote: it ran the remaining epochs only.
    const rerun = epochsOf(join(killed, 'jobs', killedJob, 'trainer', 'attempt-2.events.jsonl'));
    const done = epochsOf(join(killed, 'jobs', killedJob, 'trainer', 'attempt-1.events.jsonl'));
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(done.length).toBeLessThan(MOE_EPOCHS);
    expect(rerun).toEqual(Array.from({ length: MOE_EPOCHS - done.length }, (_, i) => done.length + 1 + i));
    expect(exportJson(killed)).toBe(expected);

    // Ctrl-C: ablate stops the trainer with SIGTERM, which checkpoints where it is (mid-epoch) and exits.
    const stopped = join(dir, 'stopped');
    const stop = await runUntil(['run', sweep, '--trainer', 'pytorch', '--results', stopped, '--workers', '1'], /(train-moe-[0-9a-f]+)\s+moe epoch 1\/30/, (_m, child) => child.kill('SIGINT'));
    const stoppedJob = stop.match?.[1] as string;
    expect(stoppedJob, stop.output).toBeDefined();
    expect(readFileSync(join(stopped, 'jobs', stoppedJob, 'trainer', 'attempt-1.log'), 'utf8')).toContain('SIGTERM: checkpointed');
    const again = runCli(['resume', 'smoke', '--results', stopped, '--workers', '2', '--quiet'], { env });
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect(attemptsOf(stopped, stoppedJob).map((a) => a.state)).toEqual(['interrupted', 'done']);
    expect(exportJson(stopped)).toBe(expected);
  }, 400_000);
});

describe('ablate run --trainer pytorch', () => {
  it('stops before running anything when the interpreter lacks torch (exit 3, naming the fix)', () => {
    const dir = tempDir('ablate-pytorch-');
    const results = join(dir, 'results');
    const run = runCli(['run', smokeSweep(dir), '--trainer', 'pytorch', '--results', results], { env: { ABLATE_PYTHON: join(dir, 'no-such-python3') } });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('--trainer pytorch:');
    expect(run.stderr).toContain('set ABLATE_PYTHON');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(results, 'ablate.db'))).toBe(false);
  });

  it('refuses a sweep that names its trainer itself (exit 2), and resume refuses the option', () => {
    const dir = tempDir('ablate-pytorch-');
    const sweep = JSON.parse(readFileSync(smokeSweep(dir), 'utf8')) as Record<string, any>;
    sweep['base'].trainer = 'builtin';
    const file = join(dir, 'named.json');
    writeFileSync(file, JSON.stringify(sweep));
    const run = runCli(['run', file, '--trainer', 'pytorch', '--results', join(dir, 'results')], { env });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('the sweep names its trainer itself');
    const resume = runCli(['resume', 'smoke', '--trainer', 'pytorch', '--results', join(dir, 'results')], { env });
    expect(resume.status).toBe(2);
    expect(resume.stderr).toContain('resume continues a sweep with the trainer it was run with');
  });
});
