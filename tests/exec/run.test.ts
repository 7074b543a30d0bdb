import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { openDb, runSim, runsPerJob, simSweep } from './sim-helpers.js';

describe('ablate run on a Piscina pool (simulated jobs)', () => {
  it('runs every job once, shares jobs between trials, and a rerun runs nothing', () => {
    const dir = tempDir();
    const sweep = simSweep(dir);
    const results = join(dir, 'results');
    const first = runSim(['run', sweep, '--results', results, '--workers', '2']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/8\/8 trials done, 20 job\(s\) run/);

    const runs = runsPerJob(results);
    expect(runs.size).toBe(20);
    for (const [, count] of runs) expect(count).toBe(1);
    const db = openDb(results);
    // 4 pre-trained experts serve 4 MoE trials and 4 single-expert trials.
    const pretrain = db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'pretrain'").get() as { n: number };
    const users = db.prepare("SELECT COUNT(*) AS n FROM trial_jobs tj JOIN jobs j ON j.key = tj.job_key WHERE j.kind = 'pretrain'").get() as { n: number };
    expect(pretrain.n).toBe(4);
    expect(users.n).toBe(4 * 2 + 4);
    expect(db.prepare("SELECT COUNT(*) AS n FROM attempts WHERE state = 'done'").get()).toEqual({ n: 20 });
    expect(db.prepare("SELECT backend FROM attempts GROUP BY backend").all()).toEqual([{ backend: 'simulated' }]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    const second = runSim(['run', sweep, '--results', results, '--workers', '2']);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/8 trials \(8 already done\)/);
    expect(second.stdout).toMatch(/0 job\(s\) run/);
    expect(runsPerJob(results).size).toBe(20);
  });

  it('status and export describe the finished sweep', () => {
    const dir = tempDir();
    const sweep = simSweep(dir);
    const results = join(dir, 'results');
    expect(runSim(['run', sweep, '--results', results, '--quiet']).status).toBe(0);

    const status = runSim(['status', 'sim', '--results', results, '--json']);
    expect(status.status).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed.trials).toEqual({ total: 8, done: 8, running: 0, pending: 0, failed: 0 });
    expect(parsed.jobs.pretrain).toEqual({ total: 4, done: 4, running: 0, pending: 0, failed: 0 });
    expect(parsed.running).toEqual([]);
    expect(parsed.failures).toEqual([]);

    const text = runSim(['status', '--results', results]);
    expect(text.stdout).toMatch(/sim: 8\/8 trials done/);

    const csv = runSim(['export', sweep, '--results', results]);
    expect(csv.status).toBe(0);
    const rows = csv.stdout.trim().split('\n');
    const header = rows[0]!.split(',');
    expect(header.slice(0, 3)).toEqual(['trial', 'kind', 'state']);
    expect(header).toContain('routing.mode');
    expect(header).toContain('seed');
    expect(header).toContain('eer');
    // 8 trials x 3 evaluation sets.
    expect(rows).toHaveLength(1 + 8 * 3);

    const json = JSON.parse(runSim(['export', 'sim', '--results', results, '--format', 'json']).stdout);
    expect(json).toHaveLength(24);
    expect(json[0]).toHaveProperty('metrics.eer');
    expect(new Set(json.map((r: { dataset: string }) => r.dataset))).toEqual(new Set(['synth:d1', 'synth:d2', 'synth:d5']));
  });
});

describe('ablate plan with a results store', () => {
  it('says how much of the plan is already done', () => {
    const dir = tempDir();
    const sweep = simSweep(dir);
    const results = join(dir, 'results');
    expect(runSim(['plan', sweep, '--results', results]).stdout).not.toMatch(/Store /);
    expect(runSim(['run', sweep, '--results', results, '--quiet']).status).toBe(0);
    const text = runSim(['plan', sweep, '--results', results]).stdout;
    expect(text).toMatch(/pretrain\s+4 \/\s+12\s+4 done/);
    expect(text).toMatch(/20 of 20 jobs done, 8 of 8 trials done/);
    const json = JSON.parse(runSim(['plan', sweep, '--results', results, '--json']).stdout);
    expect(json.done.jobsDone).toBe(20);
  });
});
