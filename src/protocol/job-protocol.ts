import type { MessagePort } from 'node:worker_threads';
import type { EpochMetrics, JobResult } from './records.js';
import type { JobSpec } from './job-spec.js';

export type BackendChoice = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export const backendChoices: BackendChoice[] = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/** What the main thread sends a worker thread for one job. */
export interface JobTask {
  job: JobSpec;
  attemptId: number;
  attemptNumber: number;
  /** Absolute path of the results folder (database, jobs/<key>/, cache/). */
  resultsDir: string;
  /** Module (file URL) whose default export runs jobs: see JobRunner. */
  runnerModule: string;
  backend: BackendChoice;
  /** The GPU(s) the scheduler bound this job to (a CUDA_VISIBLE_DEVICES value), or null. */
  device: string | null;
  /** The worker's end of a channel for progress (worker -> main). */
  port: MessagePort;
  /**
   * Set to 1 by the main thread to ask the job to stop. Shared memory rather than a message,
   * so a job busy in synchronous compute sees it without yielding to the event loop.
   */
  stopFlag: Int32Array;
}

/** Progress a worker streams while a job runs. */
export type WorkerMessage =
  | { type: 'started'; threadId: number; backend: string | null }
  | { type: 'progress'; stage: string; epoch?: number; epochs?: number; step?: number; steps?: number; loss?: number; message?: string }
  | ({ type: 'epoch' } & EpochMetrics)
  | { type: 'log'; message: string }
  /** The job failed and left its thread unusable (an aborted wasm module): the main thread ends the thread. */
  | { type: 'fatal'; message: string };

/** Thrown by a runner that stopped early on request, after writing its checkpoint. */
export class JobInterrupted extends Error {
  constructor(message = 'stopped on request after writing a checkpoint') {
    // The prefix survives the trip across threads (structured clone keeps only standard error names).
    super(`[interrupted] ${message}`);
    this.name = 'JobInterrupted';
  }
}

/** What a runner gets to do its job without knowing about threads or the database. */
export interface JobContext {
  /** The job with its typed inputs (job-spec.ts); `depDirs` holds its input artefacts. */
  job: JobSpec;
  attemptNumber: number;
  resultsDir: string;
  /** jobs/<key>/ under the results folder: where the job writes its outputs and checkpoints. */
  jobDir: string;
  /** The output folder of each dependency, by job key. */
  depDirs: Record<string, string>;
  backend: BackendChoice;
  /** The GPU(s) bound to this job (CUDA_VISIBLE_DEVICES), or null when it has none. */
  device: string | null;
  /** True once the main thread asked the job to stop (checkpoint, then throw JobInterrupted). */
  stopRequested(): boolean;
  progress(update: Omit<Extract<WorkerMessage, { type: 'progress' }>, 'type'>): void;
  epoch(metrics: EpochMetrics): void;
  log(message: string): void;
  /** Tell the main thread which backend actually runs the job (recorded on the attempt). */
  usingBackend(name: string): void;
}

/**
 * Runs one job: reads `context.job.inputs` and the outputs of its dependencies
 * (`context.depDirs`), writes its artefacts under `context.jobDir`, streams epochs through
 * `context.epoch`, and returns the records the store keeps (records.ts): artefacts, scores,
 * gate weights, per-expert metrics, epochs, skipped files.
 */
export type JobRunner = (context: JobContext) => Promise<JobResult>;

export interface RunnerModule {
  default: JobRunner;
}
