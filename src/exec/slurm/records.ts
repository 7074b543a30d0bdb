import { readFileSync } from 'node:fs';
import type { Json } from '../../search/paths.js';
import type { JobResult } from '../../protocol/records.js';
import { UserError } from '../../util/errors.js';
import type { BackendChoice } from '../../protocol/job-protocol.js';
import { jobKinds, type JobSpec } from '../../protocol/job-spec.js';

/** Which Slurm array task ran an attempt (null outside Slurm, e.g. a worker started by hand). */
export interface SlurmTaskIds {
  /** SLURM_JOB_ID: this task's own job id. */
  jobId: string | null;
  arrayJobId: string | null;
  arrayTaskId: number | null;
  /** SLURM_RESTART_COUNT: how often Slurm requeued this task. */
  restartCount: number;
  manifest: string;
  index: number;
}

export type SlurmAttemptState = 'running' | 'done' | 'failed' | 'interrupted' | 'lost';

/** One execution of a job by a worker, as the worker recorded it. */
export interface SlurmAttemptRecord {
  /** Random id; the store's attempt for it has run_id `slurm:<id>`. */
  id: string;
  state: SlurmAttemptState;
  /** Failed and the worker gave up (its last attempt in this task). */
  final?: boolean;
  host: string;
  pid: number;
  started: string;
  ended?: string;
  backend?: string | null;
  /** Why it was interrupted or lost. */
  reason?: string;
  error?: string;
  stack?: string;
  slurm: SlurmTaskIds;
}

export const resultFormat = 'ablate-slurm-result';

/**
 * results/slurm/<sweep>/results/<job-key>.json: every attempt at the job in this sweep's
 * Slurm runs, and the JobResult once one succeeded. Only workers write it (atomically); one
 * task runs a job at a time, so read-modify-write by the worker is safe.
 */
export interface SlurmResultFile {
  format: typeof resultFormat;
  version: 1;
  sweep: string;
  jobKey: string;
  kind: string;
  attempts: SlurmAttemptRecord[];
  result?: JobResult;
}

/** results/slurm/<sweep>/heartbeat/<job-key>: rewritten every few seconds by a running worker. */
export interface HeartbeatRecord {
  attempt: string;
  jobKey: string;
  host: string;
  pid: number;
  at: string;
  intervalSeconds: number;
  progress?: unknown;
  slurm: SlurmTaskIds;
}

export const manifestFormat = 'ablate-slurm-manifest';

export interface ManifestTask {
  index: number;
  job: JobSpec;
  /** Trials (ids into `trials`) whose results need this job. */
  trials: string[];
}

/**
 * One array's frozen work: array index -> job, with the configs of the trials it serves, and
 * everything a worker needs to run it without the store or the sweep file.
 */
export interface SlurmManifest {
  format: typeof manifestFormat;
  version: 1;
  sweep: string;
  submission: string;
  level: number;
  levels: number;
  createdAt: string;
  /** Absolute: the shared results folder as every node sees it. */
  resultsDir: string;
  runnerModule: string;
  backend: BackendChoice;
  maxAttempts: number;
  heartbeatSeconds: number;
  trials: Record<string, Json>;
  tasks: ManifestTask[];
}

/** One level of a submission: its manifest, script and the array job Slurm gave it. */
export interface SubmittedLevel {
  level: number;
  /** "2/3" when the level was split into several arrays (MaxArraySize), else null. */
  part: string | null;
  manifest: string;
  script: string;
  arrayJobId: string;
  /** Job keys by array index. */
  jobs: string[];
  dependency: string | null;
}

export interface SubmissionRecord {
  id: string;
  sweep: string;
  createdAt: string;
  levels: SubmittedLevel[];
}

/** Parse a JSON file, with a message that names it when it cannot be read. */
export function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`${file}: cannot read this ${what} (${(error as Error).message}).`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${(error as Error).message}); expected ${what}. Files here are written atomically, so this one was edited or truncated by something else.`, { cause: error });
  }
}

// These files are machine-written; the checks below catch a wrong path or a file from
// another tool, not hand-edited content, so a few structural tests are enough.

export function readManifest(file: string): SlurmManifest {
  const value = readJson(file, 'ablate Slurm manifest') as Partial<SlurmManifest> | null;
  const problem = (path: string, expected: string) =>
    new UserError(`${file}: ${path} should be ${expected}. Point --manifest at a level-<n>.json file that \`ablate run --executor slurm\` wrote under results/slurm/<sweep>/submissions/.`);
  if (!value || typeof value !== 'object' || value.format !== manifestFormat) throw problem('format', `"${manifestFormat}"`);
  if (value.version !== 1) throw problem('version', '1 (written by another ablate version?)');
  if (typeof value.sweep !== 'string') throw problem('sweep', 'a sweep name');
  if (typeof value.resultsDir !== 'string') throw problem('resultsDir', 'an absolute path');
  if (typeof value.runnerModule !== 'string') throw problem('runnerModule', 'a module URL');
  if (!Array.isArray(value.tasks)) throw problem('tasks', 'an array of tasks');
  value.tasks.forEach((task, i) => {
    if (!task || typeof task.job?.key !== 'string' || !Array.isArray(task.job.deps) || !jobKinds.includes(task.job.kind) || typeof task.job.inputs !== 'object') {
      throw problem(`tasks[${i}].job`, `a job with key, kind (${jobKinds.join(', ')}), inputs and deps`);
    }
  });
  return value as SlurmManifest;
}

export function readResultFile(file: string): SlurmResultFile {
  const value = readJson(file, 'ablate Slurm result file') as Partial<SlurmResultFile> | null;
  if (!value || typeof value !== 'object' || value.format !== resultFormat || value.version !== 1) {
    throw new UserError(`${file}: format should be "${resultFormat}" version 1; this is not a result file an ablate worker wrote.`);
  }
  if (typeof value.jobKey !== 'string' || !Array.isArray(value.attempts)) {
    throw new UserError(`${file}: expected jobKey (string) and attempts (array).`);
  }
  value.attempts.forEach((attempt, i) => {
    if (!attempt || typeof attempt.id !== 'string' || typeof attempt.state !== 'string' || typeof attempt.started !== 'string') {
      throw new UserError(`${file}: attempts[${i}] should have id, state and started.`);
    }
  });
  if (value.result !== undefined && !Array.isArray(value.result.artifacts)) throw new UserError(`${file}: result.artifacts should be an array.`);
  return value as SlurmResultFile;
}

export function readHeartbeat(file: string): HeartbeatRecord | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as HeartbeatRecord;
    return typeof value.at === 'string' && typeof value.attempt === 'string' ? value : null;
  } catch {
    // Absent (the attempt ended or never began) or unreadable: no heartbeat to go by.
    return null;
  }
}

export function readSubmission(file: string): SubmissionRecord {
  const value = readJson(file, 'ablate Slurm submission record') as Partial<SubmissionRecord> | null;
  if (!value || typeof value.id !== 'string' || !Array.isArray(value.levels)) {
    throw new UserError(`${file}: expected id and levels; this is not a submission record ablate wrote.`);
  }
  return value as SubmissionRecord;
}
