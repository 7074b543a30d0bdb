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
} from '../store/index.js';
import type { JobResult, SkippedFiles } from '../protocol/records.js';
import { mergeSkipped, skippedLines } from '../protocol/skipped-files.js';
import { firstLine } from '../util/errors.js';
import { isMemoryCrash } from '../protocol/memory-crash.js';
import { isEnvironmentWriteFault } from '../store/faults.js';
import { JobGraph } from './job-graph.js';
import { jobLabel } from '../search/job-label.js';
import { addLeft, addMeasured, estimateSeconds, secondsPerWork, type KindLeft, type Measured } from '../status/eta.js';
import type { BackendChoice, JobTask, WorkerMessage } from '../protocol/job-protocol.js';
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
  /** Aborting the task makes Piscina end its worker thread (and start a fresh one). */
  abort: AbortController;
  /** The failure a worker reported before asking for its thread to be ended. */
  fatal?: string;
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
  /** Each job's first and latest failure this run: the first is what the run reports; the same error twice stops the retries. */
  private readonly failuresThisRun = new Map<string, { first: string; last: string }>();
  private readonly failures: FailureView[] = [];
  private readonly resultTrials = new Map<string, number>();
  private readonly durations = new Map<string, { total: number; count: number }>();
  private jobsRun = 0;
  private readonly shownNotes = new Set<string>();
  private readonly started = Date.now();
  // Counters kept up to date on each completion, so a progress update costs O(1), not O(plan).
  private trialsDone = 0;
  private trialsFailed = 0;
  /** Jobs not done, per kind, with their planned work (src/status/eta.ts). */
  private readonly left = new Map<string, KindLeft>();
  private readonly measured: Measured = { seconds: 0, work: 0 };
  /** The first write that failed (disk full, read-only): the run stops and reports it. */
  private writeFault: unknown = null;
  private readonly skippedFiles: SkippedFiles[] = [];
  /** Ready jobs that need a GPU while every slot is taken, first come first served. */
  private readonly waitingForGpu: JobSpec[] = [];

  constructor(private readonly options: SchedulerOptions) {
    for (const trialPlan of options.plan.trials.values()) {
      this.resultTrials.set(trialPlan.result, (this.resultTrials.get(trialPlan.result) ?? 0) + 1);
      if (options.graph.state(trialPlan.result) === 'done') this.trialsDone++;
    }
    for (const job of options.plan.jobs.values()) {
      if (options.graph.state(job.key) !== 'done') addLeft(this.left, job);
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

  /** The write failure that stopped the run (null if none): runSweep turns it into the message. */
  get fault(): unknown {
    return this.writeFault;
  }

  /**
   * A write to the store, or null when it failed. Any failure (a full disk, a read-only
   * file system, a bug) stops the run: the store stays as its last transaction left it,
   * and the same command continues from there once the cause is fixed. Without this, an
   * error thrown in a message handler or timer would crash the process with a stack trace.
   */
  private write<T>(change: () => T): T | null {
    try {
      return change();
    } catch (error) {
      this.stopForFault(error);
      return null;
    }
  }

  private stopForFault(error: unknown): void {
    this.writeFault ??= error;
    this.requestStop(`cannot write the results (${firstLine(error)})`);
  }

  async run(): Promise<RunSummary> {
    const { options } = this;
    const heartbeat = setInterval(() => {
      this.write(() => {
        heartbeatAttempts(options.db, [...this.running.values()].map((r) => r.attemptId));
        heartbeatRunLock(options.db, options.runId);
      });
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
      ...(this.skippedFiles.length > 0 ? { skippedFiles: mergeSkipped(this.skippedFiles) } : {}),
    };
  }

  /** Files a job left out (onBadFile: skip): said as they happen, and again in the summary. */
  private noteSkipped(reports: readonly SkippedFiles[]): void {
    const fresh = reports.filter((r) => !this.skippedFiles.some((seen) => seen.set === r.set && seen.split === r.split && seen.count === r.count));
    this.skippedFiles.push(...reports);
    for (const line of skippedLines(fresh)) this.options.reporter.log(line);
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
    const started = this.write(() =>
      startAttempt(options.db, { jobKey: job.key, runId: options.runId, worker: null, backend: null, sweep: options.plan.space.name }),
    );
    if (started === null) {
      // The run is stopping on a write fault; the job stays pending and gives its GPU back.
      if (device !== null) options.gpus?.release(device);
      return;
    }
    const { attemptId, number } = started;
    this.attemptsThisRun.set(job.key, (this.attemptsThisRun.get(job.key) ?? 0) + 1);
    options.graph.markRunning(job.key);
    const stopFlag = new Int32Array(new SharedArrayBuffer(4));
    const channel = new MessageChannel();
    const view: RunningJobView = { key: job.key, kind: job.kind, label: jobLabel(job), attempt: number, startedAt: Date.now(), device };
    const entry: Running = { job, attemptId, view, stopFlag, lastProgressWrite: 0, device, abort: new AbortController() };
    // `ablate status` reads the device from the attempt's progress record.
    if (device !== null) this.write(() => recordProgress(options.db, attemptId, { stage: 'starting', device }));
    this.running.set(job.key, entry);
    channel.port1.on('message', (message: WorkerMessage) => this.onMessage(entry, message));
    const task: JobTask = {
      job,
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
      .run(task, { transferList: [channel.port2], signal: entry.abort.signal })
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
        this.write(() => db.prepare('UPDATE attempts SET worker = ?, backend = COALESCE(?, backend) WHERE id = ?').run(message.threadId, message.backend, entry.attemptId));
        break;
      case 'progress': {
        const { type: _type, ...progress } = message;
        entry.view.progress = progress;
        const now = Date.now();
        // Throttled: the live view needs every update, the database one every few seconds.
        if (now - entry.lastProgressWrite > 2000) {
          this.write(() => recordProgress(db, entry.attemptId, entry.device === null ? progress : { ...progress, device: entry.device }));
          entry.lastProgressWrite = now;
        }
        this.options.reporter.jobProgress(entry.view, this.snapshot());
        break;
      }
      case 'epoch': {
        const { type: _type, ...epoch } = message;
        this.write(() => recordEpochMetrics(db, entry.job.key, entry.attemptId, epoch));
        break;
      }
      case 'fatal':
        entry.fatal = message.message;
        entry.abort.abort();
        break;
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
    // A worker that ended its thread on purpose: its own message is the failure, not Piscina's abort.
    if (entry.fatal !== undefined && 'error' in completion) completion = { key: completion.key, error: new Error(entry.fatal) };
    let outcome: JobOutcome;
    let detail: string | undefined;
    if ('error' in completion && isEnvironmentWriteFault(completion.error)) {
      // The job could not write its outputs (disk full, read-only): not the job's fault, so
      // it spends no attempt; the run stops and the job resumes from its checkpoint later.
      this.stopForFault(completion.error);
    }
    if ('result' in completion && this.write(() => completeAttempt(options.db, attemptId, job.key, completion.result)) === null) {
      // Its result did not reach the store: the job stays pending and its next attempt
      // finds its outputs and checkpoint on disk.
      options.graph.markPending(job.key);
      outcome = 'interrupted';
    } else if ('result' in completion) {
      options.graph.markDone(job.key);
      this.noteSkipped(completion.result.skippedFiles ?? []);
      this.trialsDone += this.resultTrials.get(job.key) ?? 0;
      addLeft(this.left, job, -1);
      const seconds = (Date.now() - view.startedAt) / 1000;
      addMeasured(this.measured, job, seconds);
      const stats = this.durations.get(job.kind) ?? { total: 0, count: 0 };
      stats.total += seconds;
      stats.count++;
      this.durations.set(job.kind, stats);
      this.jobsRun++;
      outcome = 'done';
    } else if (isInterruption(completion.error) || (this.stopping && isAbortLike(completion.error)) || this.writeFault !== null) {
      const reason = this.writeFault !== null ? `stopped: cannot write the results (${firstLine(this.writeFault)})` : this.stopping ? 'stopped by the user' : errorText(completion.error).message;
      this.write(() => interruptAttempt(options.db, attemptId, job.key, reason));
      options.graph.markPending(job.key);
      outcome = 'interrupted';
    } else {
      const error = errorText(completion.error);
      const line = firstLine(error.message);
      const seen = this.failuresThisRun.get(job.key);
      // A crash for lack of memory, or the same error as the last attempt, is deterministic: retrying only hides the first message.
      const deterministic = isMemoryCrash(error.message) || seen?.last === line;
      this.failuresThisRun.set(job.key, { first: seen?.first ?? line, last: line });
      const final = this.stopping || deterministic || (this.attemptsThisRun.get(job.key) ?? 0) >= options.maxAttempts;
      this.write(() => failAttempt(options.db, attemptId, job.key, error, final));
      detail = seen?.first ?? line;
      if (final) {
        options.graph.markFailed(job.key);
        addLeft(this.left, job, -1);
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

  /**
   * Remaining jobs at the mean duration of their kind so far or, before a job of a kind has
   * finished, at their planned work times the measured seconds per expert-epoch; spread
   * over the workers.
   */
  private eta(): number | null {
    const means: Record<string, number> = {};
    for (const [kind, stats] of this.durations) means[kind] = stats.total / stats.count;
    const now = Date.now();
    const partial = [...this.running.values()].map(({ job, view }) => {
      const progress = view.progress as { epoch?: number; epochs?: number } | undefined;
      return { ...job, seconds: (now - view.startedAt) / 1000, epoch: progress?.epoch, epochs: progress?.epochs };
    });
    return estimateSeconds(this.left, means, secondsPerWork(this.measured, partial), this.options.workers);
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
