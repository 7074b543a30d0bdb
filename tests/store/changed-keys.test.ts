import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/tmp.js';
import { runSim, simSweep } from '../exec/sim-helpers.js';

function exportRows(results: string): Array<{ trial: string; dataset: string; metrics: Record<string, number | null> }> {
  const out = runSim(['export', 'sim', '--results', results, '--format', 'json']);
  expect(out.status, out.stderr).toBe(0);
  return JSON.parse(out.stdout);
}

describe('a store whose job keys changed (upgrading past issue 16)', () => {
  it('keeps showing the stored results until the new evaluations are done, then shows those', () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const sweep = simSweep(dir);
    expect(runSim(['run', sweep, '--results', results, '--quiet']).status).toBe(0);

    // Make it look like a store of the old keys: each trial's result is an older evaluation
    // job (a marker EER of 0.4242), and the evaluation jobs of today's keys never ran.
    const db = new Database(join(results, 'ablate.db'));
    db.pragma('foreign_keys = ON');
    const trials = db.prepare('SELECT id, result_job FROM trials').all() as Array<{ id: string; result_job: string }>;
    expect(trials.length).toBe(8);
    db.transaction(() => {
      for (const [n, t] of trials.entries()) {
        const old = `evaluate-0ld${String(n).padStart(13, '0')}`;
        db.prepare("INSERT INTO jobs (key, kind, inputs, state, created_at, updated_at) SELECT ?, kind, inputs, 'done', created_at, updated_at FROM jobs WHERE key = ?").run(old, t.result_job);
        db.prepare('INSERT INTO scores (job_key, dataset, grp, metric, value) SELECT ?, dataset, grp, metric, CASE metric WHEN \'eer\' THEN 0.4242 ELSE value END FROM scores WHERE job_key = ?').run(old, t.result_job);
        db.prepare('INSERT INTO trial_jobs (trial_id, job_key) VALUES (?, ?)').run(t.id, old);
        for (const table of ['scores', 'gate_weights', 'artifacts', 'epoch_metrics', 'attempts']) db.prepare(`DELETE FROM ${table} WHERE job_key = ?`).run(t.result_job);
        db.prepare("UPDATE jobs SET state = 'pending', attempts = 0, finished_at = NULL WHERE key = ?").run(t.result_job);
        db.prepare('UPDATE trials SET result_job = ? WHERE id = ?').run(old, t.id);
      }
    })();
    db.close();
    const stored = exportRows(results).filter((r) => r.dataset === 'synth:d1');
    expect(stored.length).toBe(8);
    expect(stored.every((r) => r.metrics['eer'] === 0.4242)).toBe(true);

    // `ablate run` opens it, registers the plan (the stored results stay the trials' results
    // while the new evaluations are pending), runs what is missing, and then shows the new results.
    const rerun = runSim(['run', sweep, '--results', results, '--quiet']);
    expect(rerun.status, rerun.stderr).toBe(0);
    const fresh = exportRows(results).filter((r) => r.dataset === 'synth:d1');
    expect(fresh.length).toBe(8);
    expect(fresh.some((r) => r.metrics['eer'] === 0.4242)).toBe(false);
    const after = new Database(join(results, 'ablate.db'), { readonly: true });
    const pointers = after.prepare('SELECT id, result_job FROM trials').all() as Array<{ id: string; result_job: string }>;
    after.close();
    expect(new Map(pointers.map((p) => [p.id, p.result_job]))).toEqual(new Map(trials.map((t) => [t.id, t.result_job])));
  });
});
