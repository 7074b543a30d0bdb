import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { exited, lines, openDb, runSim, runsPerJob, simSweep, startSim, waitFor } from './sim-helpers.js';

const slow = { ABLATE_SIM_EPOCH_MS: '300', ABLATE_SIM_EPOCHS: '4' };

function epochsRun(results: string): Array<[string, number]> {
  return lines(join(results, 'sim-epochs.log')).map((l) => {
    const [key, epoch] = l.split(' ');
    return [key as string, Number(epoch)];
  });
}

describe('interruption and resume', () => {
  it('Ctrl-C stops dispatching, checkpoints running jobs, marks them interrupted and says how to resume', async () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const sweep = simSweep(dir);
    const child = startSim(['run', sweep, '--results', results, '--workers', '2'], slow);
    const done = exited(child);
    // Wait until a training job has finished an epoch, then interrupt.
    await waitFor(() => epochsRun(results).some(([key]) => key.startsWith('pretrain-')));
    child.kill('SIGINT');
    const { code, stderr, stdout } = await done;
    expect(code).toBe(130);
    expect(stdout).toMatch(/stopping \(Ctrl-C\)/);
    expect(stderr).toMatch(/Interrupted: \d+\/8 trials done; .*Resume with `ablate resume sim --results /);
    const db = openDb(results);
    const interrupted = db.prepare("SELECT COUNT(*) AS n FROM attempts WHERE state = 'interrupted'").get() as { n: number };
    expect(interrupted.n).toBeGreaterThan(0);
    expect(db.prepare("SELECT COUNT(*) AS n FROM attempts WHERE state = 'running'").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE state = 'running'").get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_lock').get()).toEqual({ n: 0 });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    const resumed = runSim(['resume', 'sim', '--results', results], { ABLATE_SIM_EPOCH_MS: '20', ABLATE_SIM_EPOCHS: '4' });
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toMatch(/8\/8 trials done/);
    expect([...runsPerJob(results).values()].every((n) => n === 1)).toBe(true);
  });

  it('after kill -9, the next run recovers the abandoned attempts and continues each job from its checkpoint', async () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const sweep = simSweep(dir);
    const child = startSim(['run', sweep, '--results', results, '--workers', '1'], slow);
    const done = exited(child);
    await waitFor(() => epochsRun(results).filter(([key]) => key.startsWith('pretrain-')).length >= 2);
    child.kill('SIGKILL');
    await done;
    const before = epochsRun(results);
    const killedJob = before.at(-1)![0];
    // The last epoch on disk is the checkpoint's: the runner logs an epoch after it writes its
    // checkpoint, so a kill between the two leaves a checkpointed epoch without its log line.
    const lastEpoch = (JSON.parse(readFileSync(join(results, 'jobs', killedJob, 'checkpoint.json'), 'utf8')) as { epoch: number }).epoch;
    expect(lastEpoch).toBeGreaterThanOrEqual(Math.max(...before.filter(([k]) => k === killedJob).map(([, e]) => e)) - 1);

    // The dead run's attempt is still marked running, with an ageing heartbeat.
    const status = JSON.parse(runSim(['status', 'sim', '--results', results, '--json']).stdout);
    expect(status.running).toHaveLength(1);
    expect(status.running[0].job).toBe(killedJob);

    const resumed = runSim(['run', sweep, '--results', results, '--workers', '1'], { ABLATE_SIM_EPOCH_MS: '20', ABLATE_SIM_EPOCHS: '4' });
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toMatch(/recovered 1 interrupted attempt/);
    const after = epochsRun(results).slice(before.length);
    const replayed = after.filter(([k]) => k === killedJob).map(([, e]) => e);
    // It continues after the last checkpointed epoch: nothing before it runs again.
    expect(replayed[0]).toBe(lastEpoch + 1);
    expect(replayed.at(-1)).toBe(4);
    const db = openDb(results);
    const attempts = db.prepare('SELECT state, error FROM attempts WHERE job_key = ? ORDER BY number').all(killedJob) as Array<{ state: string; error: string }>;
    expect(attempts.map((a) => a.state)).toEqual(['interrupted', 'done']);
    expect(attempts[0]!.error).toMatch(/abandoned: the run \(pid \d+ on .*\) stopped/);
    db.close();
  });

  it('a second run on the same store refuses with a clear message while the first is alive', async () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const sweep = simSweep(dir);
    const child = startSim(['run', sweep, '--results', results, '--workers', '1'], slow);
    const done = exited(child);
    await waitFor(() => epochsRun(results).length > 0);
    const second = runSim(['run', sweep, '--results', results]);
    expect(second.status).toBe(3);
    expect(second.stderr).toMatch(new RegExp(`another ablate run is using this results store: pid ${child.pid} on .* \\(sweep sim\\)`));
    expect(second.stderr).not.toMatch(/\n\s+at /);
    child.kill('SIGINT');
    await done;
    // Once the first has stopped, the store is free again.
    const third = runSim(['run', sweep, '--results', results], { ABLATE_SIM_EPOCH_MS: '10' });
    expect(third.status).toBe(0);
  });
});
