import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../helpers/cli.js';
import { tinyGatingSweep } from './tiny-sweeps.js';
import { readItemMatrix } from '../../src/metrics/files/item-matrix.js';
import { readScoreFile } from '../../src/metrics/files/read-scores.js';
import { eerAndAuc } from '../../src/metrics/index.js';
import { itemMetadata } from '../../src/report/data/item-metadata.js';
import type { JobData } from '../../src/data/selection/job-items.js';

type Trial = { id: string; result_job: string; config: string };

/**
 * Issue 16 items 3 and 7 on a real tiny sweep (TensorFlow.js, two different experts, soft and
 * top-1 routing): per-item gate weights and expert scores on disk, each expert's own metrics
 * in the store, export and report, the gating heatmaps by class and attack, and wall seconds
 * per epoch in the store, the training curves and `ablate status`.
 */
describe('gate analysis and epoch wall time (real training)', () => {
  let dir: string;
  let results: string;
  let db: Database.Database;
  let trials: Trial[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ablate-gates-'));
    results = join(dir, 'results');
    const run = runCli(['run', tinyGatingSweep(dir), '--results', results, '--workers', '2', '--backend', 'wasm']);
    expect(run.stderr.replace(/ablate: note: .*\n/g, '')).toBe('');
    expect(run.status).toBe(0);
    db = new Database(join(results, 'ablate.db'), { readonly: true });
    trials = db.prepare('SELECT t.id, t.result_job, t.config FROM sweep_trials st JOIN trials t ON t.id = st.trial_id ORDER BY st.position').all() as Trial[];
  }, 240_000);
  afterAll(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fileOf = (job: string, name: string) => join(results, (db.prepare('SELECT path FROM artifacts WHERE job_key = ? AND name = ?').get(job, name) as { path: string }).path);
  const sets = ['synth:d1', 'synth:d2', 'synth:d5'];

  it('stores per-item gate weights whose means are the stored mean weights, rows in the score file order', () => {
    expect(trials).toHaveLength(2);
    for (const trial of trials) {
      const soft = JSON.parse(trial.config).routing.mode === 'soft';
      for (const set of sets) {
        const ids = readScoreFile(fileOf(trial.result_job, `scores/${set}`)).ids;
        expect(ids.length).toBe(8);
        const weights = readItemMatrix(fileOf(trial.result_job, `gates/${set}`), ids.length, 2);
        const stored = db.prepare('SELECT expert, mean_weight, selected_fraction FROM gate_weights WHERE job_key = ? AND dataset = ? ORDER BY expert').all(trial.result_job, set) as Array<{ mean_weight: number; selected_fraction: number }>;
        for (const expert of [0, 1]) {
          const column = ids.map((_, i) => weights[i * 2 + expert] as number);
          expect(column.reduce((a, b) => a + b, 0) / ids.length).toBeCloseTo(stored[expert]!.mean_weight, 5);
          expect(column.filter((w) => w > 0).length / ids.length).toBeCloseTo(stored[expert]!.selected_fraction, 5);
        }
        for (let i = 0; i < ids.length; i++) {
          const sum = (weights[i * 2] as number) + (weights[i * 2 + 1] as number);
          // Soft weights sum to 1; top-1 keeps one expert's router probability (the rest to chance).
          if (soft) expect(sum).toBeCloseTo(1, 5);
          else expect([weights[i * 2], weights[i * 2 + 1]].filter((w) => (w as number) > 0)).toHaveLength(1);
        }
      }
    }
    // The wrong shape is refused with the file named, not misread.
    const trial = trials[0]!;
    expect(() => readItemMatrix(fileOf(trial.result_job, 'gates/synth:d1'), 8, 3)).toThrow(/synth_d1\.f32: 64 bytes, expected 8 items x 3 experts/);
  });

  it("stores each expert's own metrics inside the mixture, equal to a recomputation from its per-item scores", async () => {
    for (const trial of trials) {
      const data = (JSON.parse(trial.config) as { data: JobData }).data;
      for (const set of sets) {
        const ids = readScoreFile(fileOf(trial.result_job, `scores/${set}`)).ids;
        const own = readItemMatrix(fileOf(trial.result_job, `expert-scores/${set}`), ids.length, 2);
        const items = await itemMetadata(data, set, results);
        const bonafide = ids.map((id) => items.get(id)!.bonafide);
        for (const expert of [0, 1]) {
          const scores = Float32Array.from(ids, (_, i) => own[i * 2 + expert] as number);
          expect(scores.every(Number.isFinite)).toBe(true);
          const { eer, auc } = eerAndAuc(scores, bonafide);
          const stored = Object.fromEntries(
            (db.prepare('SELECT metric, value FROM expert_metrics WHERE job_key = ? AND dataset = ? AND expert = ?').all(trial.result_job, set, expert) as Array<{ metric: string; value: number }>).map((r) => [r.metric, r.value]),
          );
          expect(Object.keys(stored).sort()).toEqual(['auc', 'cllr', 'eer', 'minDcf']);
          expect(stored['eer']).toBeCloseTo(eer, 6);
          expect(stored['auc']).toBeCloseTo(auc, 6);
        }
      }
    }
    const exported = runCli(['export', 'tiny-gating', '--results', results, '--format', 'csv']);
    expect(exported.status).toBe(0);
    const [header, ...lines] = exported.stdout.trim().split('\n');
    const columns = header!.split(',');
    for (const name of ['expert0.eer', 'expert1.eer', 'expert0.auc', 'expert1.auc']) expect(columns).toContain(name);
    const d1 = lines.map((l) => l.split(',')).find((f) => f[columns.indexOf('dataset')] === 'synth:d1' && f[0] === trials[0]!.id.slice(0, 16))!;
    const stored = db.prepare("SELECT value FROM expert_metrics WHERE job_key = ? AND dataset = 'synth:d1' AND expert = 1 AND metric = 'eer'").get(trials[0]!.result_job) as { value: number };
    expect(Number(d1[columns.indexOf('expert1.eer')])).toBeCloseTo(stored.value, 9);
  });

  it('draws gating heatmaps by class and attack and the per-expert table; training curves and status show wall seconds per epoch', async () => {
    const report = runCli(['report', 'tiny-gating', '--results', results, '--format', 'svg']);
    expect(report.stderr).toBe('');
    expect(report.status).toBe(0);
    const figures = join(results, 'tiny-gating', 'report', 'figures');
    const trial = trials.find((t) => JSON.parse(t.config).routing.mode === 'soft')!;
    const slug = 'moe-soft';
    const spec = JSON.parse(readFileSync(join(figures, `gating-heatmap-by-attack-${slug}.vl.json`), 'utf8')) as { data: { values: Array<{ dataset: string; expert: string; weight: number }> } };
    // Expected: every evaluation item of the three sets, by class, and the spoofed ones by attack.
    const data = (JSON.parse(trial.config) as { data: JobData }).data;
    const sums = new Map<string, { w: number[]; n: number }>();
    for (const set of sets) {
      const ids = readScoreFile(fileOf(trial.result_job, `scores/${set}`)).ids;
      const weights = readItemMatrix(fileOf(trial.result_job, `gates/${set}`), ids.length, 2);
      const items = await itemMetadata(data, set, results);
      ids.forEach((id, i) => {
        const item = items.get(id)!;
        for (const group of item.bonafide ? ['bona fide'] : ['spoof (all attacks)', item.group!]) {
          const sum = sums.get(group) ?? { w: [0, 0], n: 0 };
          sum.w[0]! += weights[i * 2]!;
          sum.w[1]! += weights[i * 2 + 1]!;
          sum.n++;
          sums.set(group, sum);
        }
      });
    }
    expect(sums.size).toBeGreaterThanOrEqual(4); // the two classes and at least two attacks
    const rows = [...new Set(spec.data.values.map((v) => v.dataset))];
    expect(rows.slice(0, 2)).toEqual(['bona fide', 'spoof (all attacks)']);
    expect(rows.sort()).toEqual([...sums.keys()].sort());
    const labels = [...new Set(spec.data.values.map((v) => v.expert))];
    for (const cell of spec.data.values) {
      const sum = sums.get(cell.dataset)!;
      expect(cell.weight).toBeCloseTo(sum.w[labels.indexOf(cell.expert)]! / sum.n, 5);
    }
    const experts = readFileSync(join(results, 'tiny-gating', 'report', 'tables', 'experts.md'), 'utf8');
    expect(experts).toMatch(/\| moe soft · lcnn\/mel\S* alone \|/);
    expect(experts).toMatch(/\| moe top-1 · resnet\/mel\S* alone \|/);

    // Item 7: wall seconds of every epoch in the store, a panel of the training curves, s/epoch in status.
    const seconds = db.prepare("SELECT e.job_key, e.epoch, e.value FROM epoch_metrics e JOIN jobs j ON j.key = e.job_key WHERE j.kind = 'train-moe' AND e.name = 'seconds'").all() as Array<{ job_key: string; value: number }>;
    expect(seconds).toHaveLength(2 * 2); // two mixtures, two epochs each
    for (const row of seconds) expect(row.value).toBeGreaterThan(0);
    const curves = JSON.parse(readFileSync(join(figures, `training-curves-${slug}.vl.json`), 'utf8')) as { data: { values: Array<{ metric: string; value: number }> } };
    expect(curves.data.values.filter((v) => v.metric === 'Wall time per epoch (s)').length).toBe(2);
    const job = seconds[0]!.job_key;
    const mean = seconds.filter((s) => s.job_key === job).reduce((a, s) => a + s.value, 0) / 2;
    // A running attempt of that job, as a live run has (the store is the run's; status only reads it).
    const writable = new Database(join(results, 'ablate.db'));
    writable.prepare("UPDATE attempts SET state = 'running', ended_at = NULL WHERE job_key = ?").run(job);
    writable.close();
    const status = runCli(['status', 'tiny-gating', '--results', results]);
    expect(status.status).toBe(0);
    const line = status.stdout.split('\n').find((l) => l.includes(job))!;
    expect(line).toContain(`${mean.toFixed(1)} s/epoch`);
  });
});
