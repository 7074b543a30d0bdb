import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { querySlurm } from '../../../src/exec/slurm/task-states.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';
import { dumpStore, heartbeats, logCounts, query, resultRecord, simEnv, slurmAvailability, tinySweep, waitFor } from './helpers.js';

const slurm = slurmAvailability();
const required = process.env['ABLATE_REQUIRE_SLURM'] === '1';
const title = slurm.ok ? 'on a real Slurm cluster' : `on a real Slurm cluster (skipped: ${slurm.reason})`;
if (!slurm.ok && !required) console.warn(`Slurm test skipped: ${slurm.reason}.`);

/** Array job ids from `ablate run|resume --executor slurm`'s summary ("level 2: Slurm job 41, ..."). */
function arrayIds(stdout: string): string[] {
  return [...stdout.matchAll(/level \d+(?: part \d+\/\d+)?: Slurm job (\d+)/g)].map((m) => m[1] as string);
}

function aliveTasks(ids: string[]): string[] {
  const snapshot = querySlurm(ids);
  return [...snapshot.tasks].filter(([, t]) => ['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING', 'REQUEUED', 'SUSPENDED'].includes(t.state)).map(([id]) => id);
}

function slurmCli(command: string, args: string[]): void {
  const out = spawnSync(command, args, { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${out.stderr}`);
}

describe.runIf(slurm.ok || required)(title, () => {
  it('runs a submitted sweep to the end; resume resubmits a task killed with scancel; a requeued task resumes; collect twice gives the same store', async () => {
    if (!slurm.ok) throw new Error(`ABLATE_REQUIRE_SLURM=1 but ${slurm.reason}`);
    const dir = tempDir();
    const sweep = tinySweep(dir);
    const results = join(dir, 'results');
    // Four training epochs of 0.5 s: a signal sent after epoch 1 lands a second before the last
    // one even on a loaded machine, and the test stays quick.
    const env = simEnv({ ABLATE_SIM_EPOCH_MS: '500', ABLATE_SIM_EPOCHS: '4' });
    const ablate = (args: string[]) => runCli([...args, '--results', results], { env, cwd: dir });
    const slurmArgs = ['--executor', 'slurm', '--heartbeat', '1', '--max-parallel', '2'];

    const submitted = ablate(['run', sweep, ...slurmArgs]);
    expect(submitted.stderr).toBe('');
    expect(submitted.status).toBe(0);
    expect(submitted.stdout).toMatch(/Submitted 9 job\(s\) of tiny in 4 array\(s\)/);
    const first = arrayIds(submitted.stdout);
    expect(first).toHaveLength(4);
    // Submitting again while they are queued submits nothing.
    const twice = ablate(['run', sweep, ...slurmArgs]);
    expect(twice.stdout).toMatch(/Nothing to submit for tiny: (\d)\/9 jobs done, \d still queued or running in Slurm/);

    // scancel a pre-training task once its first epoch is done (its second is under way).
    const started = (kind: string) => heartbeats(results).find((h) => h.jobKey.startsWith(kind) && logCounts(results, 'sim-epochs.log').has(`${h.jobKey} 1`));
    await waitFor(() => started('pretrain-') !== undefined, 60_000);
    const cancelled = started('pretrain-')!;
    slurmCli('scancel', [`${cancelled.slurm.arrayJobId}_${cancelled.slurm.arrayTaskId}`]);
    // The dependent arrays can no longer start: Slurm cancels them (--kill-on-invalid-dep).
    await waitFor(() => aliveTasks(first).length === 0, 60_000, 250);

    // (The second `run` above collected first too: how much is new here depends on timing.)
    const collected = JSON.parse(ablate(['collect', 'tiny', '--json']).stdout);
    expect(collected).toMatchObject({ files: 5, problems: [] });
    expect(resultRecord(results, cancelled.jobKey)!.attempts.map((a) => [a.state, a.reason])).toEqual([['interrupted', 'SIGTERM: stopped after writing a checkpoint']]);
    const status = JSON.parse(ablate(['status', 'tiny', '--json']).stdout);
    expect(status.jobs).toMatchObject({ features: { done: 3 }, pretrain: { done: 1, pending: 1 }, 'train-moe': { pending: 2 }, evaluate: { pending: 2 } });

    // resume submits only what has no result: the cancelled pre-training and what needs it.
    const resumed = ablate(['resume', 'tiny', ...slurmArgs]);
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toMatch(/Submitted 5 job\(s\) of tiny in 3 array\(s\)/);
    expect(resumed.stdout).toMatch(/level 1: Slurm job \d+, 1 task\(s\) \(1 pretrain\)/);
    expect(resumed.stdout).toMatch(/4 job\(s\) already done/);
    const second = arrayIds(resumed.stdout);

    // Preemption / time limit: SIGUSR1 to a mixture's batch step makes it checkpoint and requeue itself.
    await waitFor(() => started('train-moe-') !== undefined, 60_000);
    const warned = started('train-moe-')!;
    const task = `${warned.slurm.arrayJobId}_${warned.slurm.arrayTaskId}`;
    slurmCli('scancel', ['--batch', '--signal=USR1', task]);
    await waitFor(() => resultRecord(results, warned.jobKey)?.attempts[0]?.state === 'interrupted', 30_000);
    expect(resultRecord(results, warned.jobKey)!.attempts[0]!.reason).toBe('SIGUSR1: stopped after writing a checkpoint');
    // Slurm runs the requeued task again (after cred_expire, 10 s on the test cluster); the
    // next arrays wait for it (afterok holds through a requeue).
    await waitFor(() => aliveTasks(second).length === 0, 90_000, 250);

    // Everything finished; collect (twice) and look at the store.
    const merged = ablate(['collect', 'tiny']);
    expect(merged.status).toBe(0);
    const once = dumpStore(results);
    const again = ablate(['collect', 'tiny']);
    expect(again.stdout).toMatch(/tiny: 9 result file\(s\), nothing new \(already collected\)/);
    expect(dumpStore(results)).toEqual(once);
    const final = JSON.parse(ablate(['status', 'tiny', '--json']).stdout);
    expect(final.trials).toEqual({ total: 2, done: 2, running: 0, pending: 0, failed: 0 });
    expect(resultRecord(results, warned.jobKey)!.attempts.map((a) => [a.state, a.slurm.restartCount])).toEqual([['interrupted', 0], ['done', 1]]);
    const attempts = query<{ job_key: string; state: string }>(results, 'SELECT job_key, state FROM attempts ORDER BY job_key, number');
    expect(attempts.filter((a) => a.job_key === cancelled.jobKey).map((a) => a.state)).toEqual(['interrupted', 'done']);
    expect(attempts.filter((a) => a.job_key === warned.jobKey).map((a) => a.state)).toEqual(['interrupted', 'done']);
    expect(attempts.filter((a) => a.state === 'done')).toHaveLength(9);
    // Every job completed once, and no epoch ran twice: the stopped jobs resumed from their checkpoints.
    const runs = logCounts(results, 'sim-runs.log');
    expect(runs.size).toBe(9);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect([...logCounts(results, 'sim-epochs.log').values()].every((n) => n === 1)).toBe(true);
    // And nothing is left to submit.
    expect(ablate(['resume', 'tiny', ...slurmArgs]).stdout).toMatch(/Nothing to submit for tiny: all 9 jobs are done/);
  });
});
