import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Plan } from '../search/index.js';
import { storeFault } from '../store/faults.js';
import { isUserError } from '../util/errors.js';
import {
  acquireRunLock,
  databasePath,
  openDatabase,
  recoverAbandonedAttempts,
  registerPlan,
  releaseRunLock,
  sweepJobs,
  type Db,
} from '../store/index.js';
import { JobGraph } from './job-graph.js';
import { removedTrialsWarning } from './removed-trials.js';
import { createPool } from './pool.js';
import { Scheduler } from './scheduler.js';
import { onInterrupt } from './signals.js';
import { runnerModuleUrl } from './runner-module.js';
import type { BackendChoice } from '../protocol/job-protocol.js';
import { GpuSlots } from './gpus.js';
import type { ProgressReporter, RunSummary } from './reporter.js';

export interface RunOptions {
  plan: Plan;
  /** The validated sweep file, stored so `resume` needs no file. */
  spec: unknown;
  resultsDir: string;
  workers: number;
  backend: BackendChoice;
  maxAttempts: number;
  reporter: ProgressReporter;
  heartbeatMs?: number;
  /** `--gpus` (resolved) and `--jobs-per-gpu`: command-trainer jobs are bound to these devices. */
  gpus?: { devices: string[]; jobsPerGpu: number } | null;
}

export interface RunOutcome {
  summary: RunSummary;
  signal: NodeJS.Signals | null;
}

/**
 * `ablate run`: take the store's run lock, recover attempts a dead run left behind, register
 * the plan (idempotent), then run every job that is not done, dependencies first, on a pool
 * of worker threads. Rerunning after any interruption runs only what is missing.
 */
export async function runSweep(options: RunOptions): Promise<RunOutcome> {
  const resultsDir = resolve(options.resultsDir);
  const db = openDatabase(resultsDir);
  const runId = randomUUID();
  const sweep = options.plan.space.name;
  let signal: NodeJS.Signals | null = null;
  try {
    acquireRunLock(db, { runId, host: hostname(), pid: process.pid, sweep });
    try {
      const recovered = recoverAbandonedAttempts(db);
      process.stderr.write(removedTrialsWarning(sweep, registerPlan(db, options.plan, options.spec), options.resultsDir));
      const stored = new Map(sweepJobs(db, sweep).map((row) => [row.key, row.state]));
      const graph = new JobGraph(options.plan, stored);
      graph.retryFailed();
      const runnerModule = runnerModuleUrl();
      const counts = graph.counts();
      let trialsDone = 0;
      for (const trialPlan of options.plan.trials.values()) if (graph.state(trialPlan.result) === 'done') trialsDone++;
      options.reporter.start({
        sweep,
        trials: options.plan.trials.size,
        trialsDone,
        jobs: graph.size,
        jobsDone: counts.done,
        workers: options.workers,
        backend: options.backend,
        recovered: recovered.length,
      });
      const pool = createPool(Math.max(1, Math.min(options.workers, counts.pending + counts.failed || 1)));
      const scheduler = new Scheduler({
        db,
        plan: options.plan,
        graph,
        pool,
        resultsDir,
        runId,
        workers: options.workers,
        backend: options.backend,
        maxAttempts: options.maxAttempts,
        runnerModule,
        reporter: options.reporter,
        ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
        gpus: options.gpus ? new GpuSlots(options.gpus.devices, options.gpus.jobsPerGpu) : null,
      });
      const detach = onInterrupt((received) => {
        signal = received;
        scheduler.requestStop(received === 'SIGINT' ? 'Ctrl-C' : received);
      });
      let summary: RunSummary;
      try {
        summary = await scheduler.run();
      } finally {
        detach();
        await pool.destroy();
      }
      if (scheduler.fault !== null) throw storeFault(scheduler.fault, resultsDir) ?? scheduler.fault;
      options.reporter.finish(summary);
      return { summary, signal };
    } finally {
      releaseLock(db, runId);
    }
  } catch (error) {
    // A full disk or a read-only file system while registering or running: a message, exit 3.
    throw (isUserError(error) ? null : storeFault(error, databasePath(resultsDir))) ?? error;
  } finally {
    db.close();
  }
}

/**
 * On a full disk even deleting the lock row can fail; the lock then names a process that
 * is gone, which the next run takes over (lock.ts), so the first error is the one to report.
 */
function releaseLock(db: Db, runId: string): void {
  try {
    releaseRunLock(db, runId);
  } catch {
    // see above
  }
}
