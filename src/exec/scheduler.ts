import { MessageChannel } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import type { JobSpec, Plan } from '../search/index.js';
import {
  completeAttempt,
  failAttempt,
  heartbeatAttempts,
  heartbeatRunLock,
  interruptAttempt,
  recordEpochMetrics,
  recordProgress,
  startAttempt,
  type Db,
  type JobResult,
} from '../store/index.js';
import { firstLine } from '../util/errors.js';
import { JobGraph } from './job-graph.js';
import { jobLabel } from './job-label.js';
import type { BackendChoice, JobTask, WorkerMessage } from './protocol.js';
import { runnerForJob } from './runner-module.js';
import { needsGpu, type GpuSlots } from './gpus.js';
import type { FailureView, JobOutcome, ProgressReporter, RunSnapshot, RunSummary, RunningJobView } from './reporter.js';

export interface SchedulerOptions {
  db: Db;
  plan: Plan;
  graph: JobGraph;
  pool: Piscina;
  resultsDir: string;
  runId: string;
  workers: number;
  backend: BackendChoice;
  maxAttempts: number;
  runnerModule: string;
  reporter: ProgressReporter;
  heartbeatMs?: number;
  /** `--gpus`: slots command-trainer jobs take (CUDA_VISIBLE_DEVICES); null: no binding. */
  gpus?: GpuSlots | null;
}

interface Running {
  job: JobSpec;
  attemptId: number;
  view: RunningJobView;
  stopFlag: Int32Array;
  lastProgressWrite: number;
  device: string | null;
}

type Completion = { key: string; result: JobResult } | { key: string; error: unknown };

/**
 * Hands ready jobs to the pool, at most `workers` at a time, and records everything the
 * workers report. The main thread is the only writer of the store: workers post progress,
 * epoch metrics and results, and each state change is one transaction.
 */
export class Scheduler {
  private readonly running = new Map<string, Running>();
  private readonly completions: Completion[] = [];
  private wake: (() => void) | null = null;
  private stopping = false;
  private readonly attemptsThisRun = new Map<string, number>();
  private readonly failures: FailureView[] = [];
  private readonly resultTrials = new Map<string, number>();
  private readonly durations = new Map<string, { total: number; count: number }>();
  private jobsRun = 0;
  private readonly shownNotes = new Set<string>();
  private readonly started = Date.now();
  // Counters kept up to date on each completion, so a progress update costs O(1), not O(plan).
  private trialsDone = 0;
  private trialsFailed = 0;
  private readonly remainingByKind = new Map<string, number>();
  /** Ready jobs that need a GPU while every slot is taken, first come first served. */
  private readonly waitingForGpu: JobSpec[] = [];

  constructor(private readonly options: SchedulerOptions) {
    for (const trialPlan of options.plan.trials.values()) {
      this.resultTrials.set(trialPlan.result, (this.resultTrials.get(trialPlan.result) ?? 0) + 1);
      if (options.graph.state(trialPlan.result) === 'done') this.trialsDone++;
    }
    for (const job of options.plan.jobs.values()) {
      if (options.graph.state(job.key) !== 'done') this.remainingByKind.set(job.kind, (this.remainingByKind.get(job.kind) ?? 0) + 1);
    }
  }

  /** Stop dispatching and ask running jobs to checkpoint and stop. */
  requestStop(reason: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.options.reporter.stopping(reason);
    for (const entry of this.running.values()) Atomics.store(entry.stopFlag, 0, 1);
    this.notify();
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  async run(): Promise<RunSummary> {
    const { options } = this;
    const heartbeat = setInterval(() => {
      heartbeatAttempts(options.db, [...this.running.values()].map((r) => r.attemptId));
      heartbeatRunLock(options.db, options.runId);
    }, options.heartbeatMs ?? 5000);
    heartbeat.unref();
    try {
      for (;;) {
        while (!this.stopping && this.running.size < options.workers) {
          const next = this.nextJob();
          if (!next) break;
          this.dispatch(next.job, next.device);
        }
        if (this.running.size === 0) break;
        await this.waitForCompletion();
        for (const completion of this.completions.splice(0)) this.handle(completion);
      }
    } finally {
      clearInterval(heartbeat);
    }
    const snapshot = this.snapshot();
    return {
      sweep: options.plan.space.name,
      trialsDone: snapshot.trialsDone,
      trialsTotal: snapshot.trialsTotal,
      jobsRun: this.jobsRun,
      failures: this.failures,
      interrupted: this.stopping,
      seconds: (Date.now() - this.started) / 1000,
    };
  }

  /** The next ready job this run can start now, with the GPU it takes (if it needs one and --gpus was given). */
  private nextJob(): { job: JobSpec; device: string | null } | undefined {
    const gpus = this.options.gpus ?? null;
    if (gpus && this.waitingForGpu.length > 0) {
      const device = gpus.acquire();
      if (device !== null) return { job: this.waitingForGpu.shift() as JobSpec, device };
    }
    for (;;) {
      const job = this.options.graph.nextReady();
      if (!job) return undefined;
      if (!gpus || !needsGpu(job)) return { job, device: null };
      const device = gpus.acquire();
      if (device !== null) return { job, device };
      this.waitingForGpu.push(job);
    }
  }

  private dispatch(job: JobSpec, device: string | null): void {
    const { options } = this;
    const { attemptId, number } = startAttempt(options.db, {
      jobKey: job.key,
      runId: options.runId,
      worker: null,
      backend: null,
      sweep: options.plan.space.name,
    });
    this.attemptsThisRun.set(job.key, (this.attemptsThisRun.get(job.key) ?? 0) + 1);
    options.graph.markRunning(job.key);
    const stopFlag = new Int32Array(new SharedArrayBuffer(4));
    const channel = new MessageChannel();
    const view: RunningJobView = { key: job.key, kind: job.kind, label: jobLabel(job), attempt: number, startedAt: Date.now(), device };
    const entry: Running = { job, attemptId, view, stopFlag, lastProgressWrite: 0, device };
    // `ablate status` reads the device from the attempt's progress record.
    if (device !== null) recordProgress(options.db, attemptId, { stage: 'starting', device });
    this.running.set(job.key, entry);
    channel.port1.on('message', (message: WorkerMessage) => this.onMessage(entry, message));
    const task: JobTask = {
      job: { key: job.key, kind: job.kind, inputs: job.inputs, deps: job.deps },
      attemptId,
      attemptNumber: number,
      resultsDir: options.resultsDir,
      runnerModule: runnerForJob(job.inputs, options.runnerModule),
      backend: options.backend,
      device,
      port: channel.port2,
      stopFlag,
    };
    options.reporter.jobStarted(job, view, this.snapshot());
    options.pool
      .run(task, { transferList: [channel.port2] })
      .then(
        (result: JobResult) => this.complete({ key: job.key, result }),
        (error: unknown) => this.complete({ key: job.key, error }),
      )
      .finally(() => channel.port1.close());
  }

  private onMessage(entry: Running, message: WorkerMessage): void {
    const { db } = this.options;
    if (!this.running.has(entry.job.key)) return;
    switch (message.type) {
      case 'started':
        db.prepare('UPDATE attempts SET worker = ?, backend = COALESCE(?, backend) WHERE id = ?').run(message.threadId, message.backend, entry.attemptId);
        break;
      case 'progress': {
        const { type: _type, ...progress } = message;
        entry.view.progress = progress;
        const now = Date.now();
        // Throttled: the live view needs every update, the database one every few seconds.
        if (now - entry.lastProgressWrite > 2000) {
          recordProgress(db, entry.attemptId, entry.device === null ? progress : { ...progress, device: entry.device });
          entry.lastProgressWrite = now;
        }
        this.options.reporter.jobProgress(entry.view, this.snapshot());
        break;
      }
      case 'epoch': {
        const { type: _type, ...epoch } = message;
        recordEpochMetrics(db, entry.job.key, entry.attemptId, epoch);
        break;
      }
      case 'log':
        // The same note from every worker (each sets up its backend) is shown once.
        if (!this.shownNotes.has(message.message)) {
          this.shownNotes.add(message.message);
          this.options.reporter.log(message.message);
        }
        break;
    }
  }

  private complete(completion: Completion): void {
    this.completions.push(completion);
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private waitForCompletion(): Promise<void> {
    if (this.completions.length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private handle(completion: Completion): void {
    const { options } = this;
    const entry = this.running.get(completion.key);
    if (!entry) return;
    this.running.delete(completion.key);
    if (entry.device !== null) this.options.gpus?.release(entry.device);
    const { job, attemptId, view } = entry;
    let outcome: JobOutcome;
    let detail: string | undefined;
    if ('result' in completion) {
      completeAttempt(options.db, attemptId, job.key, completion.result);
      options.graph.markDone(job.key);
      this.trialsDone += this.resultTrials.get(job.key) ?? 0;
      this.remainingByKind.set(job.kind, (this.remainingByKind.get(job.kind) ?? 1) - 1);
      const seconds = (Date.now() - view.startedAt) / 1000;
      const stats = this.durations.get(job.kind) ?? { total: 0, count: 0 };
      stats.total += seconds;
      stats.count++;
      this.durations.set(job.kind, stats);
      this.jobsRun++;
      outcome = 'done';
    } else if (isInterruption(completion.error) || (this.stopping && isAbortLike(completion.error))) {
      interruptAttempt(options.db, attemptId, job.key, this.stopping ? 'stopped by the user' : errorText(completion.error).message);
      options.graph.markPending(job.key);
      outcome = 'interrupted';
    } else {
      const error = errorText(completion.error);
      const final = this.stopping || (this.attemptsThisRun.get(job.key) ?? 0) >= options.maxAttempts;
      failAttempt(options.db, attemptId, job.key, error, final);
      detail = firstLine(error.message);
      if (final) {
        options.graph.markFailed(job.key);
        this.remainingByKind.set(job.kind, (this.remainingByKind.get(job.kind) ?? 1) - 1);
        this.trialsFailed = this.countFailedTrials();
        this.failures.push({ key: job.key, kind: job.kind, label: view.label, error: detail, trials: this.trialsNeeding(job.key) });
        outcome = 'failed';
      } else {
        options.graph.markPending(job.key);
        outcome = 'retry';
      }
    }
    options.reporter.jobFinished(job, view, outcome, this.snapshot(), detail);
  }

  private trialsNeeding(key: string): number {
    let count = 0;
    for (const trialPlan of this.options.plan.trials.values()) if (trialPlan.jobs.includes(key)) count++;
    return count;
  }

  private countFailedTrials(): number {
    const { plan, graph } = this.options;
    let failed = 0;
    for (const trialPlan of plan.trials.values()) if (trialPlan.jobs.some((key) => graph.state(key) === 'failed')) failed++;
    return failed;
  }

  snapshot(): RunSnapshot {
    const { plan, graph } = this.options;
    return {
      trialsDone: this.trialsDone,
      trialsTotal: plan.trials.size,
      trialsFailed: this.trialsFailed,
      jobsDone: graph.doneCount,
      jobsTotal: graph.size,
      running: [...this.running.values()].map((r) => r.view),
      etaSeconds: this.eta(),
    };
  }

  /** Remaining jobs times the mean duration of their kind so far, spread over the workers. */
  private eta(): number | null {
    let remaining = 0;
    for (const [kind, count] of this.remainingByKind) {
      if (count <= 0) continue;
      const stats = this.durations.get(kind);
      if (!stats) return null;
      remaining += (count * stats.total) / stats.count;
    }
    return remaining / Math.max(1, this.options.workers);
  }
}

function isInterruption(error: unknown): boolean {
  return error instanceof Error && (error.name === 'JobInterrupted' || error.message.startsWith('[interrupted]'));
}

function isAbortLike(error: unknown): boolean {
  return error instanceof Error && /terminated|abort/i.test(error.message);
}

function errorText(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) return { message: error.message || error.name, ...(error.stack ? { stack: error.stack } : {}) };
  return { message: String(error) };
}
