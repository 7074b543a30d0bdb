import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { repoRoot, runCli, startCli, type CliResult } from '../helpers/cli.js';
import { writeSweep } from '../search/sweep-fixtures.js';

export const simulatedRunner = join(repoRoot, 'tests', 'fixtures', 'runners', 'simulated.ts');

/** 4 MoE trials + 4 single-expert baselines sharing 4 pre-trained experts: 20 jobs (one training and three evaluation-set feature jobs). */
export function simSweep(dir: string, name = 'sim'): string {
  return writeSweep(dir, {
    name,
    base: {
      experts: [
        { arch: 'lcnn', features: { kind: 'mel', nMels: 24 } },
        { arch: 'resnet', features: { kind: 'mel', nMels: 24 } },
      ],
      data: { datasets: { synth: { adapter: 'synth' } }, train: ['synth:d1', 'synth:d2'], evaluate: { known: ['synth:d1', 'synth:d2'], unknown: ['synth:d5'] } },
    },
    grid: { routing: [{ mode: 'soft' }, { mode: 'topk', k: 1 }] },
    include: [{ kind: 'single' }],
    seeds: [0, 1],
  }, `${name}.json`);
}

export function simEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ABLATE_JOB_RUNNER: simulatedRunner, ...extra };
}

export function runSim(args: string[], env: Record<string, string> = {}): CliResult {
  return runCli(args, { env: simEnv(env) });
}

export function startSim(args: string[], env: Record<string, string> = {}) {
  return startCli(args, { env: simEnv(env) });
}

export function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/** Completed executions per job key (from the simulated runner's log). */
export function runsPerJob(results: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines(join(results, 'sim-runs.log'))) {
    const key = line.split(' ')[0] as string;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export function openDb(results: string): Database.Database {
  return new Database(join(results, 'ablate.db'), { readonly: true });
}

export function waitFor(predicate: () => boolean, timeoutMs = 60_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) return resolve();
      if (Date.now() > deadline) return reject(new Error('timed out waiting'));
      setTimeout(tick, everyMs);
    };
    tick();
  });
}

export function exited(child: ReturnType<typeof startCli>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += String(d)));
  child.stderr?.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}
