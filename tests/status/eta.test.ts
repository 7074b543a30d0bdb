import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { repoRoot } from '../helpers/cli.js';
import { planFromFile } from '../../src/search/index.js';
import { addLeft, addMeasured, estimateSeconds, jobWork, secondsPerWork, type KindLeft, type Measured } from '../../src/status/eta.js';
import { sweepStatus } from '../../src/status/sweep-status.js';
import { openDatabase } from '../../src/store/index.js';
import { formatStatus } from '../../src/cli/status.js';
import { exited, runSim, simSweep, startSim, waitFor } from '../exec/sim-helpers.js';

describe('ETA from the plan\'s job sizes', () => {
  // sweeps/smoke.json: pre-training 2 epochs, mixture training 2 epochs of 2 experts.
  const plan = planFromFile(join(repoRoot, 'sweeps', 'smoke.json'));
  const jobs = [...plan.jobs.values()];
  const byKind = (kind: string) => jobs.filter((j) => j.kind === kind);

  it('sizes each job in expert-epochs from its planned inputs', () => {
    expect(byKind('pretrain').map(jobWork)).toEqual([2, 2]);
    expect(byKind('train-moe').map(jobWork)).toEqual([4, 4]);
    expect(byKind('evaluate').map(jobWork).sort()).toEqual([1 / 3, 1 / 3, 2 / 3, 2 / 3]);
    // The training data's features and each evaluation set's: no training work.
    expect(byKind('features').map(jobWork)).toEqual([0, 0, 0, 0]);
  });

  it('is unknown until a training epoch is measured, then prices unmeasured kinds by their work', () => {
    const left = new Map<string, KindLeft>();
    for (const job of jobs) addLeft(left, job);
    const nothing: Measured = { seconds: 0, work: 0 };
    const pretrain = byKind('pretrain')[0]!;
    // Only epoch 1 running: nothing measured yet.
    expect(secondsPerWork(nothing, [{ ...pretrain, seconds: 5, epoch: 1, epochs: 2 }])).toBeNull();
    expect(estimateSeconds(left, {}, null, 2)).toBeNull();
    // Epoch 2 of 2 reached after 10 s: one expert-epoch took 10 s.
    const rate = secondsPerWork(nothing, [{ ...pretrain, seconds: 10, epoch: 2, epochs: 2 }]);
    expect(rate).toBe(10);
    // Work left: 2 + 2 (pre-training) + 4 + 4 (mixtures) + 2/3 + 2/3 + 1/3 + 1/3 (evaluations) = 14 expert-epochs, on 2 workers.
    expect(estimateSeconds(left, {}, rate, 2)).toBeCloseTo(70, 9);
    // A kind with a measured mean duration is priced at it instead.
    expect(estimateSeconds(left, { evaluate: 1 }, rate, 2)).toBeCloseTo((12 * 10 + 4 * 1) / 2, 9);
    // Finished jobs outrank running ones as the measure of the rate.
    const measured: Measured = { seconds: 0, work: 0 };
    addMeasured(measured, byKind('train-moe')[0]!, 12);
    expect(secondsPerWork(measured, [{ ...pretrain, seconds: 10, epoch: 2, epochs: 2 }])).toBe(3);
  });
});

describe('status while the first jobs run', () => {
  it('has an ETA once a training job has finished an epoch, and counts running jobs, not trials', async () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const sweep = simSweep(dir);
    const child = startSim(['run', sweep, '--results', results, '--workers', '2'], { ABLATE_SIM_EPOCH_MS: '1500', ABLATE_SIM_EPOCHS: '5' });
    const done = exited(child);
    const status = () => {
      const db = openDatabase(results, { mustExist: true });
      try {
        return sweepStatus(db, 'sim');
      } finally {
        db.close();
      }
    };
    try {
      // A pre-training job past its first epoch, before any training job has finished.
      await waitFor(() => {
        try {
          return status().running.some((r) => ((r.progress as { epoch?: number } | null)?.epoch ?? 0) >= 2);
        } catch {
          return false; // the store is not created yet
        }
      }, 60_000, 200);
      const now = status();
      expect(now.jobs['pretrain']!.done).toBe(0);
      expect(now.jobs['train-moe']!.done).toBe(0);
      // Before, the ETA waited for a job of every kind (evaluations come last) to finish.
      expect(now.etaSeconds).not.toBeNull();
      expect(now.etaSeconds!).toBeGreaterThan(0);
      const headline = formatStatus(now).split('\n')[0]!;
      expect(headline).toContain(`${now.running.length} job${now.running.length === 1 ? '' : 's'} running (for ${now.trials.running} trial`);
      expect(headline).not.toMatch(/ETA \?/);
      expect(now.running.length).toBeLessThanOrEqual(2);
      // Backends: only those a job has named (the simulated runner names 'simulated').
      expect(now.backends.map((b) => b.backend).filter((b) => b !== 'simulated')).toEqual([]);
    } finally {
      child.kill('SIGINT');
      await done;
    }
  });

  it('`run` prints an ETA from the first finished training job on, not only once an evaluation has finished', () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const run = runSim(['run', simSweep(dir), '--results', results, '--workers', '2'], { ABLATE_SIM_EPOCH_MS: '5', ABLATE_SIM_EPOCHS: '2' });
    expect(run.status).toBe(0);
    const firstPretrain = run.stdout.split('\n').find((line) => /^done\s+pretrain-/.test(line));
    expect(firstPretrain).toBeDefined();
    expect(firstPretrain).toMatch(/ETA \d/);
  });
});
