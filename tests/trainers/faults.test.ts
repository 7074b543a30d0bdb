import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { writeSweep } from '../search/sweep-fixtures.js';
import { openDb } from '../exec/sim-helpers.js';
import { fakeTrainerSection, runAblate, tinyData, twoExperts } from './helpers.js';

interface Status {
  trials: { done: number; failed: number };
  failures: Array<{ job: string; error: string }>;
}

describe('command trainer faults', () => {
  it('give each its own message naming the log, and leave the other trials done', () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const trainer = (name: string, fault: string | null, extra: Record<string, unknown> = {}) =>
      fakeTrainerSection(fault ? { FAKE_FAULT: fault } : {}, { name, ...extra });
    const sweep = writeSweep(dir, {
      name: 'faults',
      base: { kind: 'single', experts: [twoExperts[0]], pretrain: { epochs: 2 }, data: tinyData },
      grid: {
        trainer: [
          trainer('ok', null),
          trainer('crashes', 'exit'),
          trainer('forgets', 'no-output'),
          trainer('garbles', 'malformed'),
          trainer('hangs', 'silent', { heartbeatSeconds: 0.5, graceSeconds: 0.2 }),
          trainer('dawdles', 'slow', { timeoutSeconds: 0.5, graceSeconds: 0.2 }),
          { name: 'absent', command: [join(dir, 'no-such-trainer')] },
          'builtin',
        ],
      },
    });
    const run = runAblate(['run', sweep, '--results', results, '--quiet', '--max-attempts', '1', '--workers', '2']);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain('2/8 trials done');

    const status = JSON.parse(runAblate(['status', 'faults', '--results', results, '--json']).stdout) as Status;
    expect(status.trials).toMatchObject({ done: 2, failed: 6 });
    const errors = status.failures.map((f) => f.error).sort();
    expect(errors).toEqual([
      expect.stringMatching(/^trainer absent could not start \(.*no-such-trainer.*\): spawn .* ENOENT$/),
      'trainer crashes exited with code 3',
      'trainer dawdles timed out: still running after 0.5 s (timeoutSeconds); stopped it',
      expect.stringMatching(new RegExp(`^trainer forgets exited 0 but wrote no model: ${join(results, 'jobs')}/pretrain-[0-9a-f]{16}/model is empty$`)),
      expect.stringMatching(/^trainer garbles wrote a malformed event at .*attempt-1\.events\.jsonl line 1: not JSON \(.*\): epoch 1 loss 0\.5; stopped it$/),
      'trainer hangs lost its heartbeat: no event for 0.5 s (heartbeatSeconds); stopped it',
    ]);

    // The whole message, kept on the attempt, quotes the log's last lines and names the file.
    const db = openDb(results);
    const crashed = db.prepare("SELECT error FROM attempts WHERE error LIKE 'trainer crashes%'").get() as { error: string };
    db.close();
    expect(crashed.error).toMatch(/last lines of .*trainer\/attempt-1\.log:\n {2}fake trainer: pretrain .*\n {2}RuntimeError: CUDA out of memory \(pretend\)/);

    // The store is intact: the two finished trials (the command's and the built-in's) export their results.
    const exported = JSON.parse(runAblate(['export', 'faults', '--results', results, '--format', 'json']).stdout) as Array<{ trial: string; state: string; metrics: { eer: number | null } }>;
    const done = exported.filter((row) => row.state === 'done');
    expect(new Set(done.map((row) => row.trial)).size).toBe(2);
    expect(done.every((row) => typeof row.metrics.eer === 'number')).toBe(true);
  });
});

