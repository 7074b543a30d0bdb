import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { exited, openDb, waitFor } from '../exec/sim-helpers.js';
import { fakeTrainerSection, jsonLines, runAblate, startAblate, trainerSweep } from './helpers.js';

interface TrainerRun {
  job: string;
  kind: string;
  attempt: number;
  resume: boolean;
  envResume: string;
  device: string | null;
}

describe('GPU slots', () => {
  it('never give one fake GPU to two jobs at once, and leave feature jobs without one', () => {
    const dir = tempDir();
    const log = join(dir, 'runs.log');
    const locks = join(dir, 'locks');
    mkdirSync(locks);
    const sweep = trainerSweep(dir, 'gpus', fakeTrainerSection({ FAKE_LOG: log, FAKE_LOCKS: locks }));
    const results = join(dir, 'results');
    const run = runAblate(['run', sweep, '--results', results, '--quiet', '--gpus', '0,1', '--workers', '4'], { FAKE_EPOCH_MS: '40' });
    // A trainer finding its GPU's lock taken exits 7 and its trial fails: none may.
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const runs = jsonLines<TrainerRun>(log);
    expect(runs).toHaveLength(16);
    expect(new Set(runs.map((r) => r.device))).toEqual(new Set(['0', '1']));
    expect(readdirSync(locks)).toEqual([]);
    // The device each attempt was bound to is on its progress record (what `ablate status` shows).
    const db = openDb(results);
    const rows = db.prepare('SELECT j.kind AS kind, a.progress AS progress FROM attempts a JOIN jobs j ON j.key = a.job_key').all() as Array<{ kind: string; progress: string | null }>;
    db.close();
    const deviceOf = (row: { progress: string | null }) => (row.progress ? (JSON.parse(row.progress) as { device?: string }).device : undefined);
    const features = rows.filter((r) => r.kind === 'features');
    expect(features.length).toBeGreaterThan(0);
    expect(features.map(deviceOf).every((device) => device === undefined)).toBe(true);
    expect(rows.filter((r) => r.kind !== 'features').every((r) => ['0', '1'].includes(deviceOf(r) as string))).toBe(true);
  });

  it('rejects bad --gpus and --jobs-per-gpu values with a clear message', () => {
    const dir = tempDir();
    const sweep = trainerSweep(dir, 'bad', fakeTrainerSection());
    for (const [args, message] of [
      [['--gpus', '0,x'], /--gpus "0,x": "x" is not a GPU index or UUID. Expected "all" or a list like 0,1,3./],
      [['--gpus', '1,1'], /--gpus "1,1": a GPU is listed twice/],
      [['--gpus', '0', '--jobs-per-gpu', '0'], /--jobs-per-gpu 0: expected a whole number from 1 to 64/],
      [['--jobs-per-gpu', '2'], /--jobs-per-gpu needs --gpus/],
    ] as const) {
      const result = runAblate(['run', sweep, '--results', join(dir, 'results'), '--quiet', ...args]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});

describe('kill -9 of `ablate run` in the middle of a command job', () => {
  it('and a rerun give the export of an uninterrupted run, the trainer told to resume', async () => {
    const dir = tempDir();
    // The trainer section is part of the trial: both stores log to runs.log in their own folder.
    const sweep = trainerSweep(dir, 'k', fakeTrainerSection({ FAKE_LOG: 'runs.log' }));
    const reference = join(dir, 'reference');
    const once = runAblate(['run', sweep, '--results', reference, '--quiet']);
    expect(once.status, once.stderr).toBe(0);

    const results = join(dir, 'killed');
    const log = join(results, 'runs.log');
    // Slow epochs (from ablate's environment, not the trial's) leave time to look and to kill.
    const child = startAblate(['run', sweep, '--results', results, '--quiet', '--gpus', '0', '--workers', '2'], { FAKE_EPOCH_MS: '400' });
    const done = exited(child);
    await waitFor(() => jsonLines(log).length > 0, 60_000, 20);
    // ablate status shows the device of each running command job.
    const status = JSON.parse(runAblate(['status', 'k', '--results', results, '--json']).stdout) as { running: Array<{ job: string; device: string | null }> };
    expect(status.running.filter((r) => !r.job.startsWith('features-')).map((r) => r.device)).toContain('0');
    // Kill as soon as a training job is between epochs: its checkpoint exists, its model not yet.
    let victim = '';
    await waitFor(() => {
      victim =
        jsonLines<TrainerRun>(log)
          .filter((r) => r.kind !== 'evaluate')
          .find((r) => jsonLines(join(results, 'jobs', r.job, 'trainer', 'attempt-1.events.jsonl')).length > 0 && !existsSync(join(results, 'jobs', r.job, 'model', 'model.json')))?.job ?? '';
      return victim !== '';
    }, 60_000, 10);
    child.kill('SIGKILL');
    await done;

    const rerun = runAblate(['run', sweep, '--results', results, '--quiet']);
    expect(rerun.status, rerun.stderr).toBe(0);
    const attempts = jsonLines<TrainerRun>(log).filter((r) => r.job === victim);
    expect(attempts.map((a) => [a.attempt, a.resume, a.envResume])).toEqual([
      [1, false, '0'],
      [2, true, '1'],
    ]);
    const exportOf = (dir: string) => runAblate(['export', 'k', '--results', dir, '--format', 'csv']).stdout;
    expect(exportOf(results)).toBe(exportOf(reference));
    expect(exportOf(results).split('\n').length).toBeGreaterThan(40);
  }, 120_000);
});

describe('Ctrl-C during a command job', () => {
  it('sends the trainer SIGTERM, marks the attempt interrupted, and the rerun resumes it', async () => {
    const dir = tempDir();
    const sweep = trainerSweep(dir, 'int', fakeTrainerSection({ FAKE_LOG: 'runs.log' }));
    const results = join(dir, 'results');
    const log = join(results, 'runs.log');
    const child = startAblate(['run', sweep, '--results', results, '--quiet', '--workers', '1'], { FAKE_EPOCH_MS: '400' });
    const done = exited(child);
    let victim = '';
    await waitFor(() => {
      victim = jsonLines<TrainerRun>(log).find((r) => jsonLines(join(results, 'jobs', r.job, 'trainer', 'attempt-1.events.jsonl')).length > 0)?.job ?? '';
      return victim !== '';
    }, 60_000, 10);
    child.kill('SIGINT');
    const { code } = await done;
    expect(code).toBe(130);
    expect(readFileSync(join(results, 'jobs', victim, 'trainer', 'attempt-1.log'), 'utf8')).toContain('SIGTERM: the last checkpoint stays; exiting');
    const db = openDb(results);
    const attempt = db.prepare('SELECT state, error FROM attempts WHERE job_key = ?').get(victim) as { state: string; error: string };
    db.close();
    expect(attempt.state).toBe('interrupted');

    const rerun = runAblate(['run', sweep, '--results', results, '--quiet']);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(jsonLines<TrainerRun>(log).filter((r) => r.job === victim).map((r) => r.resume)).toEqual([false, true]);
    // Each attempt streamed only its own epochs; the job's record has both, once each.
    expect(victim).toMatch(/^pretrain-/);
    const after = openDb(results);
    const losses = after.prepare("SELECT epoch FROM epoch_metrics WHERE job_key = ? AND name = 'loss' ORDER BY epoch").all(victim) as Array<{ epoch: number }>;
    after.close();
    expect(losses.map((row) => row.epoch)).toEqual([1, 2]);
  }, 120_000);
});
