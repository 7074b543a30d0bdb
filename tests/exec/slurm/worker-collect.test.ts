import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadSweep, planFromFile, type Plan } from '../../../src/search/index.js';
import { openDatabase, registerPlan } from '../../../src/store/index.js';
import { collectSweep } from '../../../src/exec/slurm/collect.js';
import { dependencyLevels } from '../../../src/exec/slurm/levels.js';
import { buildManifest, trialsByJob } from '../../../src/exec/slurm/manifest.js';
import { runCli, startCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';
import { dumpStore, exited, heartbeats, logCounts, query, resultRecord, simEnv, simulatedRunner, tinySweep, waitFor } from './helpers.js';

/**
 * Without Slurm: the manifests a submission freezes, run by `ablate worker` processes by
 * hand (as array tasks would run them), then merged into the store by `ablate collect`.
 */
function prepare(dir: string): { results: string; plan: Plan; manifests: string[] } {
  const sweep = tinySweep(dir);
  const results = join(dir, 'results');
  const plan = planFromFile(sweep);
  const db = openDatabase(results);
  registerPlan(db, plan, loadSweep(sweep).sweep);
  db.close();
  const levels = dependencyLevels(plan, new Set(plan.jobs.keys()));
  const folder = join(results, 'slurm', 'tiny', 'submissions', 'by-hand');
  mkdirSync(folder, { recursive: true });
  const manifests = levels.map((jobs, i) => {
    const manifest = buildManifest(
      { plan, jobs, submission: 'by-hand', level: i + 1, levels: levels.length, resultsDir: results, runnerModule: pathToFileURL(simulatedRunner).href, backend: 'cpu', maxAttempts: 2, heartbeatSeconds: 1 },
      trialsByJob(plan),
    );
    const file = join(folder, `level-${i + 1}.json`);
    writeFileSync(file, JSON.stringify(manifest));
    return file;
  });
  return { results, plan, manifests };
}

const worker = (manifest: string, index: number, env: Record<string, string> = {}) =>
  runCli(['worker', '--manifest', manifest, '--index', String(index)], { env: simEnv(env) });

describe('ablate worker and ablate collect (no Slurm needed)', () => {
  it('workers write result files; collect merges them once, survives kills and retries, and twice changes nothing', async () => {
    const dir = tempDir();
    const { results, plan, manifests } = prepare(dir);
    const ofKind = (kind: string) => [...plan.jobs.values()].filter((j) => j.kind === kind).map((j) => j.key);
    const [features, pretrains, mixtures, evaluations] = ['features', 'pretrain', 'train-moe', 'evaluate'].map(ofKind) as [string[], string[], string[], string[]];

    // Level 0: the training data's features and each evaluation set's.
    for (const index of [0, 1, 2]) expect(worker(manifests[0]!, index).status).toBe(0);

    // Pre-training 0 is stopped by SIGTERM (as scancel does): it checkpoints and says so.
    const slow = { ABLATE_SIM_EPOCH_MS: '500', ABLATE_SIM_EPOCHS: '4' };
    // Epoch 1 logged: epoch 2 of 4 is under way, so a stop request lands well before the last one.
    const beats = (key: string) => heartbeats(results).some((h) => h.jobKey === key) && logCounts(results, 'sim-epochs.log').has(`${key} 1`);
    const manifest1 = JSON.parse(readFileSync(manifests[1]!, 'utf8')) as { tasks: Array<{ job: { key: string } }> };
    const key0 = manifest1.tasks[0]!.job.key;
    const key1 = manifest1.tasks[1]!.job.key;
    const terminated = startCli(['worker', '--manifest', manifests[1]!, '--index', '0'], { env: simEnv(slow) });
    const terminatedExit = exited(terminated);
    await waitFor(() => beats(key0));
    terminated.kill('SIGTERM');
    expect((await terminatedExit).code).toBe(143);
    expect(resultRecord(results, key0)!.attempts.map((a) => [a.state, a.reason])).toEqual([['interrupted', 'SIGTERM: stopped after writing a checkpoint']]);

    // Pre-training 1 is killed outright: its file still says running, its heartbeat stops.
    const killed = startCli(['worker', '--manifest', manifests[1]!, '--index', '1'], { env: simEnv(slow) });
    const killedExit = exited(killed);
    await waitFor(() => beats(key1));
    killed.kill('SIGKILL');
    await killedExit;
    expect(resultRecord(results, key1)!.attempts.map((a) => a.state)).toEqual(['running']);

    const first = runCli(['collect', 'tiny', '--results', results, '--json']);
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ files: 5, added: 5, results: 3, lost: 0, problems: [] });
    // Seen from the store: the features done, one attempt interrupted, one still running (heartbeat young).
    const states = () => query<{ job_key: string; state: string; error: string | null }>(results, "SELECT job_key, state, error FROM attempts WHERE run_id LIKE 'slurm:%' ORDER BY id");
    expect(states().map((a) => a.state).sort()).toEqual(['done', 'done', 'done', 'interrupted', 'running']);

    // Once the heartbeat is old, collect (here told it is two minutes later) finds it lost.
    const db = openDatabase(results);
    const later = collectSweep(db, results, 'tiny', { query: null, now: Date.now() + 120_000 });
    db.close();
    expect(later).toMatchObject({ added: 0, updated: 0, lost: 1 });
    expect(states().find((a) => a.job_key === key1)).toMatchObject({ state: 'interrupted', error: expect.stringMatching(/^lost: the worker \(pid \d+ on .*\) stopped writing its heartbeat/) });

    // Rerun both: each continues from its checkpoint; the killed one's file records it lost.
    expect(worker(manifests[1]!, 0, { ABLATE_SIM_EPOCHS: '4' }).status).toBe(0);
    expect(worker(manifests[1]!, 1, { ABLATE_SIM_EPOCHS: '4' }).status).toBe(0);
    expect(resultRecord(results, key1)!.attempts.map((a) => a.state)).toEqual(['lost', 'done']);

    // Mixture 0 fails once and is retried inside its task; evaluations run plainly.
    const fail = { ABLATE_SIM_FAIL: mixtures[0]!, ABLATE_SIM_FAIL_TIMES: '1' };
    expect(worker(manifests[2]!, 0, fail).status).toBe(0);
    expect(worker(manifests[2]!, 1).status).toBe(0);
    expect(resultRecord(results, mixtures[0]!)!.attempts.map((a) => a.state)).toEqual(['failed', 'done']);
    for (const index of [0, 1]) expect(worker(manifests[3]!, index).status).toBe(0);
    // A task run again after its job is done does nothing.
    const again = worker(manifests[3]!, 0);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/already done/);

    // status collects first: everything is done.
    const status = JSON.parse(runCli(['status', 'tiny', '--results', results, '--json']).stdout);
    expect(status.trials).toEqual({ total: 2, done: 2, running: 0, pending: 0, failed: 0 });
    const once = dumpStore(results);
    const twice = runCli(['collect', '--results', results]);
    expect(twice.stdout).toMatch(/tiny: 9 result file\(s\), nothing new \(already collected\)/);
    expect(dumpStore(results)).toEqual(once);

    // Each job finished once, and no epoch ran twice (the interrupted ones resumed).
    expect([...logCounts(results, 'sim-runs.log').keys()].sort()).toEqual([...features, ...pretrains, ...mixtures, ...evaluations].sort());
    expect([...logCounts(results, 'sim-runs.log').values()].every((n) => n === 1)).toBe(true);
    expect([...logCounts(results, 'sim-epochs.log').values()].every((n) => n === 1)).toBe(true);
    const attempts = query<{ job_key: string; state: string; host: string }>(results, 'SELECT job_key, state, host FROM attempts ORDER BY job_key, number');
    expect(attempts.filter((a) => a.state === 'done')).toHaveLength(9);
    expect(attempts.filter((a) => a.job_key === mixtures[0]).map((a) => a.state)).toEqual(['failed', 'done']);
    expect(query(results, "SELECT COUNT(*) AS n FROM jobs WHERE state = 'done'")).toEqual([{ n: 9 }]);
    // Two evaluations, each on one known and one unknown set, two metrics each.
    expect(query(results, 'SELECT COUNT(*) AS n FROM scores')).toEqual([{ n: 8 }]);
  });

  it('explains a bad manifest or index with the file and exit code 2', () => {
    const dir = tempDir();
    const { manifests } = prepare(dir);
    const wrongIndex = runCli(['worker', '--manifest', manifests[1]!, '--index', '5'], { env: simEnv() });
    expect(wrongIndex.status).toBe(2);
    expect(wrongIndex.stderr).toMatch(/level-2\.json: no task at index 5; this manifest has indexes 0-1/);
    const notManifest = join(dir, 'tiny.json');
    const wrongFile = runCli(['worker', '--manifest', notManifest, '--index', '0'], { env: simEnv() });
    expect(wrongFile.status).toBe(2);
    expect(wrongFile.stderr).toMatch(/tiny\.json: format should be "ablate-slurm-manifest"/);
    const noIndex = runCli(['worker', '--manifest', manifests[0]!], { env: { ...simEnv(), SLURM_ARRAY_TASK_ID: '' } });
    expect(noIndex.status).toBe(2);
    expect(noIndex.stderr).toMatch(/--index/);
  });
});
