import { isMemoryCrash } from '../../protocol/memory-crash.js';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { processExists } from '../../store/index.js';
import type { JobResult } from '../../protocol/records.js';
import { UserError } from '../../util/errors.js';
import { writeFileAtomicallySync } from '../../util/atomic.js';
import { Piscina } from 'piscina';
import { workerFile } from '../pool.js';
import type { JobTask, WorkerMessage } from '../../protocol/job-protocol.js';
import { heartbeatFile, resultFile, slurmLayout } from './layout.js';
import { isFresh, heartbeatAgeSeconds } from './liveness.js';
import {
  readHeartbeat,
  readManifest,
  readResultFile,
  resultFormat,
  type HeartbeatRecord,
  type ManifestTask,
  type SlurmAttemptRecord,
  type SlurmManifest,
  type SlurmResultFile,
  type SlurmTaskIds,
} from './records.js';
import { requeue } from './slurm-cli.js';
import { takeEarlySignals } from './early-signals.js';
import { runnerForJob } from '../runner-module.js';

export interface ArrayTaskOptions {
  manifestFile: string;
  index: number;
  env?: NodeJS.ProcessEnv;
  /** Where progress lines go (Slurm's log of the task). */
  log?: (line: string) => void;
}

/** Exit codes of `ablate worker`. */
export const taskExit = { done: 0, requeued: 0, failed: 1, duplicate: 3, interrupted: 143 } as const;

/**
 * `ablate worker`: run the job at one index of a manifest, as one Slurm array task. Runs it
 * in a worker thread (like a local run, so a signal is handled while the job computes),
 * writes the outcome to results/slurm/<sweep>/results/<job-key>.json and a heartbeat file
 * while it runs, both atomically; it never opens the SQLite store (`collect` does that).
 *
 * SIGTERM (scancel, preemption) and SIGUSR1 (sbatch --signal, before the time limit) ask the
 * job to checkpoint and stop; after SIGUSR1 the task requeues itself and resumes from the
 * checkpoint. A second signal exits at once.
 */
export async function runArrayTask(options: ArrayTaskOptions): Promise<number> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const manifestFile = resolve(options.manifestFile);
  const manifest = readManifest(manifestFile);
  const task = manifest.tasks[options.index];
  if (!Number.isInteger(options.index) || !task || task.index !== options.index) {
    throw new UserError(`${manifestFile}: no task at index ${options.index}; this manifest has indexes 0-${manifest.tasks.length - 1}. Check --index (Slurm passes $SLURM_ARRAY_TASK_ID).`);
  }
  const layout = slurmLayout(manifest.resultsDir, manifest.sweep);
  for (const dir of [layout.results, layout.heartbeats]) mkdirSync(dir, { recursive: true });
  const file = resultFile(layout, task.job.key);
  const beatFile = heartbeatFile(layout, task.job.key);
  const record: SlurmResultFile = existsSync(file)
    ? readResultFile(file)
    : { format: resultFormat, version: 1, sweep: manifest.sweep, jobKey: task.job.key, kind: task.job.kind, attempts: [] };
  const ids = slurmIds(env, manifestFile, options.index);
  log(`ablate worker: ${task.job.key} (${task.job.kind}), task ${ids.arrayJobId ?? '-'}_${ids.arrayTaskId ?? options.index} on ${hostname()}`);
  if (record.result && record.attempts.some((a) => a.state === 'done')) {
    log('already done: its result is in the result file; nothing to run.');
    return taskExit.done;
  }
  const duplicate = liveOtherAttempt(record, readHeartbeat(beatFile), ids);
  if (duplicate) {
    log(`not running: ${duplicate}. Two workers must not share a job's checkpoints; this task exits.`);
    return taskExit.duplicate;
  }
  markLost(record, ids);

  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  let signal: NodeJS.Signals | null = null;
  let current: { attempt: SlurmAttemptRecord } | null = null;
  // Set once the outcome is written: a later signal (the SIGTERM that `scontrol requeue` sends) needs nothing.
  let settled = false;
  const onSignal = (received: NodeJS.Signals) => {
    if (settled) return;
    if (signal !== null) {
      // A second signal: no time left for the job to checkpoint. Record why, then go.
      if (current) finishAttempt(current.attempt, 'interrupted', { reason: `${received} twice: exited without a checkpoint` });
      writeRecord(file, record);
      rmSync(beatFile, { force: true });
      process.exit(taskExit.interrupted);
    }
    signal = received;
    log(`${received}: asking the job to checkpoint and stop`);
    Atomics.store(stopFlag, 0, 1);
  };
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGUSR1', 'SIGINT'];
  for (const name of signals) process.on(name, onSignal);
  for (const early of takeEarlySignals()) onSignal(early);
  const pool = singleThreadPool();
  try {
    for (let tries = 1; ; tries++) {
      // Asked to stop before (or between) attempts: nothing to checkpoint.
      if (signal !== null) {
        settled = true;
        return signal === 'SIGUSR1' ? requeueSelf(env, log) : taskExit.interrupted;
      }
      const attempt: SlurmAttemptRecord = { id: randomUUID(), state: 'running', host: hostname(), pid: process.pid, started: new Date().toISOString(), backend: null, slurm: ids };
      current = { attempt };
      record.attempts.push(attempt);
      writeRecord(file, record);
      const beat = startHeartbeat(beatFile, manifest, task, attempt);
      let outcome: { result: JobResult } | { error: unknown };
      try {
        outcome = await runOnce(pool, manifest, task, record.attempts.length, stopFlag, (message) => {
          if (message.type === 'started' && message.backend) attempt.backend = message.backend;
          beat.observe(message, log);
        });
      } finally {
        beat.stop();
      }
      current = null;
      if ('result' in outcome) {
        record.result = outcome.result;
        finishAttempt(attempt, 'done', { backend: outcome.result.backend ?? attempt.backend ?? null });
        writeRecord(file, record);
        rmSync(beatFile, { force: true });
        log(`done: ${task.job.key}`);
        return taskExit.done;
      }
      const error = outcome.error;
      if (signal !== null || isInterruption(error)) {
        finishAttempt(attempt, 'interrupted', { reason: signal ? `${signal}: stopped after writing a checkpoint` : errorText(error).error });
        writeRecord(file, record);
        rmSync(beatFile, { force: true });
        settled = true;
        return signal === 'SIGUSR1' ? requeueSelf(env, log) : taskExit.interrupted;
      }
      // As in a local run: out of memory, or the previous attempt's error again, will not pass on a retry.
      const previous = record.attempts.slice(0, -1).reverse().find((a) => a.state === 'failed') as { error?: string } | undefined;
      const deterministic = isMemoryCrash(errorText(error).error) || previous?.error === errorText(error).error;
      const final = deterministic || tries >= manifest.maxAttempts;
      finishAttempt(attempt, 'failed', { ...errorText(error), final });
      writeRecord(file, record);
      rmSync(beatFile, { force: true });
      log(`attempt ${record.attempts.length} failed${final ? '' : ', trying again'}: ${errorText(error).error}`);
      if (final) return taskExit.failed;
    }
  } finally {
    for (const name of signals) process.off(name, onSignal);
    await pool.destroy();
  }
}

/**
 * One worker thread, as createPool(1) makes it, but without the early-signals preload in its
 * execArgv: that module is for the main thread, and a .ts preload would not load in a thread.
 */
function singleThreadPool(): Piscina {
  const execArgv: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const arg = process.execArgv[i] as string;
    if (arg === '--import' && /early-signals-preload\.[jt]s$/.test(process.execArgv[i + 1] ?? '')) {
      i++;
      continue;
    }
    execArgv.push(arg);
  }
  return new Piscina({ filename: workerFile(), minThreads: 1, maxThreads: 1, concurrentTasksPerWorker: 1, idleTimeout: 60 * 60 * 1000, execArgv });
}

function slurmIds(env: NodeJS.ProcessEnv, manifest: string, index: number): SlurmTaskIds {
  const task = env['SLURM_ARRAY_TASK_ID'];
  return {
    jobId: env['SLURM_JOB_ID'] ?? null,
    arrayJobId: env['SLURM_ARRAY_JOB_ID'] ?? null,
    arrayTaskId: task === undefined ? null : Number(task),
    restartCount: Number(env['SLURM_RESTART_COUNT'] ?? 0),
    manifest,
    index,
  };
}

/**
 * Another worker that is still alive on this job (a double submission): its attempt is
 * running, in another Slurm job, with a fresh heartbeat. The same Slurm job id means this
 * task was requeued, and Slurm never runs two instances of one job: the old one is gone.
 * (A pid on the same host can be reused by then; the heartbeat's age bounds that risk.)
 */
function liveOtherAttempt(record: SlurmResultFile, heartbeat: HeartbeatRecord | null, ids: SlurmTaskIds): string | null {
  const running = record.attempts.find((a) => a.state === 'running' && a.id === heartbeat?.attempt);
  if (!running || !isFresh(heartbeat, Date.now())) return null;
  if (ids.jobId !== null && running.slurm?.jobId === ids.jobId) return null;
  // On this machine the process table answers for sure (a worker started by hand, killed).
  if (running.host === hostname() && !processExists(running.pid)) return null;
  return `attempt ${running.id} (pid ${running.pid} on ${running.host}, Slurm job ${running.slurm?.jobId ?? 'none'}) is running it, heartbeat ${Math.round(heartbeatAgeSeconds(heartbeat as HeartbeatRecord, Date.now()))} s ago`;
}

/** Attempts left "running" by a worker that was killed outright: it could not say so itself. */
function markLost(record: SlurmResultFile, ids: SlurmTaskIds): void {
  const stamp = new Date().toISOString();
  for (const attempt of record.attempts) {
    if (attempt.state !== 'running') continue;
    attempt.state = 'lost';
    attempt.ended = stamp;
    attempt.reason = `lost: its worker (pid ${attempt.pid} on ${attempt.host}, Slurm job ${attempt.slurm?.jobId ?? 'none'}) ended without recording an outcome (killed, out of memory or node failure); found by Slurm job ${ids.jobId ?? 'none'}`;
  }
}

function finishAttempt(attempt: SlurmAttemptRecord, state: SlurmAttemptRecord['state'], details: Partial<SlurmAttemptRecord>): void {
  Object.assign(attempt, details);
  attempt.state = state;
  attempt.ended = new Date().toISOString();
}

function writeRecord(file: string, record: SlurmResultFile): void {
  writeFileAtomicallySync(file, JSON.stringify(record, null, 1));
}

/** Rewrites the heartbeat file every interval with the latest progress, until stopped. */
function startHeartbeat(file: string, manifest: SlurmManifest, task: ManifestTask, attempt: SlurmAttemptRecord) {
  let progress: unknown;
  let lastLogged = 0;
  const write = () => {
    const beat: HeartbeatRecord = {
      attempt: attempt.id,
      jobKey: task.job.key,
      host: attempt.host,
      pid: attempt.pid,
      at: new Date().toISOString(),
      intervalSeconds: manifest.heartbeatSeconds,
      ...(progress === undefined ? {} : { progress }),
      slurm: attempt.slurm,
    };
    try {
      writeFileAtomicallySync(file, JSON.stringify(beat));
    } catch (error) {
      // A missed beat (a network filesystem hiccup) must not kill the job; the next one may pass.
      process.stderr.write(`heartbeat: cannot write ${file}: ${(error as Error).message}\n`);
    }
  };
  write();
  const timer = setInterval(write, manifest.heartbeatSeconds * 1000);
  return {
    observe(message: WorkerMessage, log: (line: string) => void) {
      if (message.type === 'progress') {
        const { type: _type, ...rest } = message;
        progress = rest;
        // One line per few seconds in Slurm's log is enough to follow a job.
        if (Date.now() - lastLogged > 5000) {
          lastLogged = Date.now();
          log(`progress: ${JSON.stringify(rest)}`);
        }
      } else if (message.type === 'epoch') {
        log(`epoch ${message.stage} ${message.epoch}: ${JSON.stringify(message.metrics)}`);
      } else if (message.type === 'log') {
        log(message.message);
      }
    },
    stop() {
      clearInterval(timer);
    },
  };
}

async function runOnce(
  pool: Piscina,
  manifest: SlurmManifest,
  task: ManifestTask,
  attemptNumber: number,
  stopFlag: Int32Array,
  onMessage: (message: WorkerMessage) => void,
): Promise<{ result: JobResult } | { error: unknown }> {
  const channel = new MessageChannel();
  // A worker whose thread is unusable (src/exec/worker.ts) reports its failure and waits to be ended.
  const abort = new AbortController();
  let fatal: string | null = null;
  channel.port1.on('message', (message: WorkerMessage) => {
    if (message.type === 'fatal') {
      fatal = message.message;
      abort.abort();
      return;
    }
    onMessage(message);
  });
  const jobTask: JobTask = {
    job: task.job,
    // The store's attempt id: none here; collect creates the store's attempt later.
    attemptId: 0,
    attemptNumber,
    resultsDir: manifest.resultsDir,
    runnerModule: runnerForJob(task.job.inputs, manifest.runnerModule),
    backend: manifest.backend,
    // Slurm binds the task's GPUs itself (--gpus-per-task) and says which in this variable.
    device: process.env['CUDA_VISIBLE_DEVICES'] ?? null,
    port: channel.port2,
    stopFlag,
  };
  try {
    return { result: (await pool.run(jobTask, { transferList: [channel.port2], signal: abort.signal })) as JobResult };
  } catch (error) {
    return { error: fatal !== null ? new Error(fatal) : error };
  } finally {
    channel.port1.close();
  }
}

function requeueSelf(env: NodeJS.ProcessEnv, log: (line: string) => void): number {
  // In an array, SLURM_JOB_ID of one task equals the array's job id, and requeueing that id
  // would requeue every task of the array: name the task as <array job id>_<index>.
  const arrayJobId = env['SLURM_ARRAY_JOB_ID'];
  const arrayTaskId = env['SLURM_ARRAY_TASK_ID'];
  const jobId = arrayJobId && arrayTaskId ? `${arrayJobId}_${arrayTaskId}` : env['SLURM_JOB_ID'];
  if (!jobId) return taskExit.interrupted;
  const outcome = requeue(jobId);
  if (outcome.ok) {
    log(`requeued Slurm job ${jobId}: it resumes from the checkpoint when it runs again`);
    return taskExit.requeued;
  }
  log(`could not requeue Slurm job ${jobId} (${outcome.stderr}); \`ablate resume <sweep> --executor slurm\` submits it again`);
  return taskExit.interrupted;
}

function isInterruption(error: unknown): boolean {
  return error instanceof Error && (error.name === 'JobInterrupted' || error.message.startsWith('[interrupted]'));
}

function errorText(error: unknown): { error: string; stack?: string } {
  if (error instanceof Error) return { error: error.message || error.name, ...(error.stack ? { stack: error.stack } : {}) };
  return { error: String(error) };
}
