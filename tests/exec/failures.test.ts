import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { openDb, runSim, runsPerJob, simSweep } from './sim-helpers.js';

describe('failure isolation and retries', () => {
  it('a job that fails once is retried and the sweep completes; the failed attempt keeps its error and stack', () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const result = runSim(['run', simSweep(dir), '--results', results, '--max-attempts', '2'], { ABLATE_SIM_FAIL: 'pretrain', ABLATE_SIM_FAIL_TIMES: '1' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/8\/8 trials done/);
    const db = openDb(results);
    const failed = db.prepare("SELECT a.error, a.stack, a.number FROM attempts a JOIN jobs j ON j.key = a.job_key WHERE j.kind = 'pretrain' AND a.state = 'failed'").all() as Array<{ error: string; stack: string; number: number }>;
    expect(failed).toHaveLength(4);
    for (const attempt of failed) {
      expect(attempt.number).toBe(1);
      expect(attempt.error).toMatch(/^simulated failure of pretrain-/);
      expect(attempt.stack).toMatch(/simulated\.ts/);
    }
    expect(db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE state = 'done'").get()).toEqual({ n: 20 });
    db.close();
  });

  it('a job that keeps failing fails its trials only; the rest of the sweep runs and the summary lists it', () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const sweep = simSweep(dir);
    // The pre-training of one expert for seed 0..1 is shared; fail one of them for good.
    const plan = JSON.parse(runSim(['plan', sweep, '--json']).stdout) as { trials: Array<{ id: string; jobs: string[]; config: { kind: string } }> };
    const target = plan.trials.find((t) => t.config.kind === 'single')!.jobs.find((k) => k.startsWith('pretrain-'))!;
    const affected = plan.trials.filter((t) => t.jobs.includes(target)).length;
    const result = runSim(['run', sweep, '--results', results, '--max-attempts', '2'], { ABLATE_SIM_FAIL: target });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`${8 - affected}/8 trials done`));
    expect(result.stdout).toMatch(/1 job\(s\) failed/);
    expect(result.stdout).toContain(`${target} (pretrain`);
    expect(result.stdout).toMatch(/simulated failure of pretrain-/);
    expect(result.stdout).not.toMatch(/second line of the error/);

    const status = JSON.parse(runSim(['status', 'sim', '--results', results, '--json']).stdout);
    expect(status.trials.failed).toBe(affected);
    expect(status.trials.done).toBe(8 - affected);
    expect(status.failures).toHaveLength(1);
    expect(status.failures[0].job).toBe(target);
    expect(status.failures[0].attempts).toBe(2);
    // The first failure's message, not the last retry's (issue 16: a retry's bare `Aborted()` hid why).
    expect(status.failures[0].error).toBe(`simulated failure of ${target} (attempt 1)`);
    expect(runsPerJob(results).get(target)).toBeUndefined();

    // The next run gives the failed job a fresh budget; once it passes, the blocked trials finish.
    const again = runSim(['run', sweep, '--results', results]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/8\/8 trials done/);
    const runs = runsPerJob(results);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(20);
  });
});
