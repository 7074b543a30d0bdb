import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';
import { everyKindSweep } from './tiny-sweeps.js';

describe('real training end to end (TensorFlow.js, embedded corpus)', () => {
  it('runs every trial kind: MELE mixtures (trained and frozen experts), single, ensemble, joint, budget-matched and gate-ablated', () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const sweep = everyKindSweep(dir);
    const run = runCli(['run', sweep, '--results', results, '--workers', '2', '--backend', 'wasm']);
    expect(run.stderr.replace(/ablate: note: .*\n/g, '')).toBe('');
    expect(run.status).toBe(0);
    const db = new Database(join(results, 'ablate.db'), { readonly: true });
    const trials = db.prepare('SELECT t.kind, t.config, t.result_job FROM sweep_trials st JOIN trials t ON t.id = st.trial_id').all() as Array<{ kind: string; config: string; result_job: string }>;
    const kinds = trials.map((t) => t.kind).sort();
    // 2 mixtures (free / frozen experts), 2 single experts (one per MELE domain), ensemble, joint, budget-single, gate-ablated.
    expect(kinds).toEqual(['budget-single', 'ensemble', 'gate-ablated', 'joint', 'moe', 'moe', 'single', 'single']);
    // MELE pre-trains one expert per training domain, each on that domain alone.
    const pretrain = db.prepare("SELECT inputs FROM jobs WHERE kind = 'pretrain'").all() as Array<{ inputs: string }>;
    const perDomain = pretrain.map((j) => JSON.parse(j.inputs).trainOn as string[]).filter((on) => on.length === 1);
    expect(perDomain.map((on) => on[0]).sort()).toEqual(['synth:d1', 'synth:d2']);
    // Every trial has metrics for every evaluation set and the known/unknown/all means.
    for (const trial of trials) {
      const sets = db.prepare('SELECT DISTINCT dataset FROM scores WHERE job_key = ? ORDER BY dataset').all(trial.result_job) as Array<{ dataset: string }>;
      expect(sets.map((s) => s.dataset)).toEqual(['__all__', '__known__', '__unknown__', 'synth:d1', 'synth:d2', 'synth:d5']);
      const eer = db.prepare("SELECT value FROM scores WHERE job_key = ? AND dataset = '__all__' AND metric = 'eer'").get(trial.result_job) as { value: number };
      expect(eer.value).toBeGreaterThanOrEqual(0);
      expect(eer.value).toBeLessThanOrEqual(1);
      expect(existsSync(join(results, 'jobs', trial.result_job, 'scores', 'synth_d1.tsv'))).toBe(true);
    }
    // Mixtures store gate weights per evaluation set and expert; baselines do not.
    for (const trial of trials) {
      const rows = db.prepare('SELECT dataset, expert, mean_weight FROM gate_weights WHERE job_key = ?').all(trial.result_job) as Array<{ mean_weight: number }>;
      if (trial.kind === 'moe') {
        expect(rows).toHaveLength(3 * 2);
        for (const row of rows) expect(row.mean_weight).toBeGreaterThan(0);
      } else expect(rows).toHaveLength(0);
    }
    // The gate-ablated control shares the mixture's training job (trained once).
    const ablated = trials.find((t) => t.kind === 'gate-ablated')!;
    const ablatedTraining = db.prepare("SELECT j.key FROM trial_jobs tj JOIN jobs j ON j.key = tj.job_key WHERE tj.trial_id = (SELECT id FROM trials WHERE result_job = ?) AND j.kind = 'train-moe'").get(ablated.result_job) as { key: string };
    const users = db.prepare('SELECT COUNT(*) AS n FROM trial_jobs WHERE job_key = ?').get(ablatedTraining.key) as { n: number };
    expect(users.n).toBe(2);
    expect(db.prepare("SELECT COUNT(*) AS n FROM attempts WHERE state = 'done'").get()).toEqual(db.prepare('SELECT COUNT(*) AS n FROM jobs').get());
    // Training curves: every training job stored its epochs.
    const curves = db.prepare("SELECT j.kind, COUNT(DISTINCT e.epoch) AS epochs FROM jobs j JOIN epoch_metrics e ON e.job_key = j.key WHERE e.name = 'valLoss' GROUP BY j.key").all() as Array<{ kind: string; epochs: number }>;
    expect(curves.length).toBeGreaterThan(0);
    for (const curve of curves) expect(curve.epochs).toBeGreaterThanOrEqual(1);
    expect(db.prepare('SELECT DISTINCT backend FROM attempts WHERE backend IS NOT NULL').all()).toEqual([{ backend: 'wasm' }]);
    db.close();
  });
});
