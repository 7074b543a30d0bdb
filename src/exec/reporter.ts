import type { SkippedFiles } from '../protocol/records.js';
import type { JobSpec } from '../search/index.js';

export interface RunStart {
  sweep: string;
  trials: number;
  trialsDone: number;
  jobs: number;
  jobsDone: number;
  workers: number;
  backend: string;
  recovered: number;
}

export interface RunningJobView {
  key: string;
  kind: string;
  label: string;
  attempt: number;
  startedAt: number;
  /** The GPU(s) bound to the job (CUDA_VISIBLE_DEVICES), null when none. */
  device?: string | null;
  progress?: { stage: string; epoch?: number; epochs?: number; step?: number; steps?: number; loss?: number; message?: string };
}

export interface RunSnapshot {
  trialsDone: number;
  trialsTotal: number;
  trialsFailed: number;
  jobsDone: number;
  jobsTotal: number;
  running: RunningJobView[];
  etaSeconds: number | null;
}

export type JobOutcome = 'done' | 'retry' | 'failed' | 'interrupted';

export interface FailureView {
  key: string;
  kind: string;
  label: string;
  error: string;
  trials: number;
}

export interface RunSummary {
  sweep: string;
  trialsDone: number;
  trialsTotal: number;
  jobsRun: number;
  failures: FailureView[];
  interrupted: boolean;
  seconds: number;
  /** Data sets that lost unusable audio files under `onBadFile: "skip"` in this run. */
  skippedFiles?: SkippedFiles[];
}

/** What the scheduler tells whoever shows progress (a live TTY view, log lines, or nothing). */
export interface ProgressReporter {
  start(info: RunStart): void;
  jobStarted(job: JobSpec, view: RunningJobView, snapshot: RunSnapshot): void;
  jobProgress(view: RunningJobView, snapshot: RunSnapshot): void;
  jobFinished(job: JobSpec, view: RunningJobView, outcome: JobOutcome, snapshot: RunSnapshot, detail?: string): void;
  stopping(reason: string): void;
  /** A line a job asked to show once (the backend a worker chose, a note about the data). */
  log(line: string): void;
  finish(summary: RunSummary): void;
}
