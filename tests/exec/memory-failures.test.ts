import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/tmp.js';
import { runSim, simSweep } from './sim-helpers.js';

/** Attempts of the failed job, in order, with their error's first line. */
function attemptsOf(results: string, key: string): Array<{ state: string; error: string }> {
  const db = new Database(join(results, 'ablate.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT state, error FROM attempts WHERE job_key = ? ORDER BY number').all(key) as Array<{ state: string; error: string }>;
    return rows.map((r) => ({ state: r.state, error: r.error.split('\n')[0] as string }));
  } finally {
    db.close();
  }
}

function failingPretrain(sweep: string): string {
  const plan = JSON.parse(runSim(['plan', sweep, '--json']).stdout) as { trials: Array<{ jobs: string[]; config: { kind: string } }> };
  return plan.trials.find((t) => t.config.kind === 'single')?.jobs.find((k) => k.startsWith('pretrain-')) as string;
}

/** A simulated sweep whose single expert's pre-training fails with `messages` (one per attempt, the last repeating). */
function runFailing(messages: string[], args: string[]): { results: string; target: string; result: ReturnType<typeof runSim> } {
  const dir = tempDir();
  const results = join(dir, 'results');
  const sweep = simSweep(dir);
  const target = failingPretrain(sweep);
  const result = runSim(['run', sweep, '--results', results, ...args], { ABLATE_SIM_FAIL: target, ABLATE_SIM_FAIL_MESSAGES: JSON.stringify(messages) });
  return { results, target, result };
}

describe('failures that a retry cannot fix', () => {
  it('an out-of-memory crash is named as such, not retried, and its message stays in run and status', () => {
    const { results, target, result } = runFailing(['RuntimeError: memory access out of bounds', 'Aborted(). Build with -sASSERTIONS for more info.'], ['--max-attempts', '4']);
    expect(result.status).toBe(1);
    const attempts = attemptsOf(results, target);
    expect(attempts).toEqual([{ state: 'failed', error: 'RuntimeError: memory access out of bounds' }]);
    expect(result.stdout).toContain(`${target} (pretrain`);
    expect(result.stdout).toMatch(/memory access out of bounds/);
    const status = JSON.parse(runSim(['status', 'sim', '--results', results, '--json']).stdout) as { failures: Array<{ job: string; error: string; attempts: number }> };
    expect(status.failures).toEqual([expect.objectContaining({ job: target, attempts: 1, error: 'RuntimeError: memory access out of bounds' })]);
  });

  it('a bare Aborted() on the retry does not replace the first, better message', () => {
    const { results, target, result } = runFailing(['cannot read shard 3 of the feature cache', 'Aborted()'], ['--max-attempts', '4']);
    expect(result.status).toBe(1);
    // The retry's abort is a memory-class crash: it ends the retries at once.
    expect(attemptsOf(results, target).map((a) => a.error)).toEqual(['cannot read shard 3 of the feature cache', 'Aborted()']);
    const summary = result.stdout.slice(result.stdout.indexOf('job(s) failed'));
    expect(summary).toContain('cannot read shard 3 of the feature cache');
    expect(summary).not.toContain('Aborted()');
    const status = JSON.parse(runSim(['status', 'sim', '--results', results, '--json']).stdout) as { failures: Array<{ error: string; attempts: number }> };
    expect(status.failures[0]).toEqual(expect.objectContaining({ attempts: 2, error: 'cannot read shard 3 of the feature cache' }));
  });

  it('the same error twice stops the retries (a deterministic failure), however many attempts are allowed', () => {
    const { results, target, result } = runFailing(['weights are NaN after epoch 2'], ['--max-attempts', '5']);
    expect(result.status).toBe(1);
    expect(attemptsOf(results, target)).toHaveLength(2);
  });

  it('a job that leaves its worker thread unusable gets that thread replaced, and the next jobs run on a fresh one', () => {
    const { results, target, result } = runFailing(['[unusable] out of memory: the wasm backend ran out of memory training this job'], ['--workers', '1']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/out of memory: the wasm backend ran out of memory training this job/);
    const db = new Database(join(results, 'ablate.db'), { readonly: true });
    try {
      const attempts = db.prepare('SELECT job_key, state, worker, error FROM attempts ORDER BY id').all() as Array<{ job_key: string; state: string; worker: number; error: string | null }>;
      const crash = attempts.findIndex((a) => a.job_key === target);
      expect(attempts[crash]).toEqual(expect.objectContaining({ state: 'failed', error: 'out of memory: the wasm backend ran out of memory training this job' }));
      const later = attempts.slice(crash + 1);
      // Every job the crash did not block still ran, none on the ended thread.
      expect(later.length).toBeGreaterThan(0);
      expect(later.every((a) => a.state === 'done')).toBe(true);
      expect(later.every((a) => a.worker !== attempts[crash]?.worker)).toBe(true);
    } finally {
      db.close();
    }
  });
});
