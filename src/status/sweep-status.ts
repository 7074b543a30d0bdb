import { failedJobs, finishedAttemptSeconds, getSweep, meanDurations, meanEpochSeconds, runningAttempts, skippedFileEvents, sweepBackends, sweepJobs, sweepTrials, type Db } from '../store/index.js';
import type { SkippedFiles } from '../protocol/records.js';
import { mergeSkipped } from '../protocol/skipped-files.js';
import { addLeft, addMeasured, estimateSeconds, secondsPerWork, type KindLeft, type Measured } from './eta.js';
import { firstLine, UserError } from '../util/errors.js';
import { jobLabel } from '../search/job-label.js';

export interface SweepStatus {
  sweep: string;
  description: string | null;
  trials: { total: number; done: number; running: number; pending: number; failed: number };
  jobs: Record<string, { total: number; done: number; running: number; pending: number; failed: number }>;
  running: Array<{
    attempt: number;
    job: string;
    label: string;
    attemptNumber: number;
    worker: number | null;
    backend: string | null;
    /** The GPU(s) bound to the job (CUDA_VISIBLE_DEVICES), null when it has none. */
    device: string | null;
    startedAt: string;
    heartbeatAgeSeconds: number;
    progress: unknown;
    /** Mean wall seconds of the job's epochs so far (all attempts); null before its first epoch. */
    secondsPerEpoch: number | null;
  }>;
  failures: Array<{ job: string; label: string; attempts: number; trials: number; error: string }>;
  backends: Array<{ backend: string; attempts: number }>;
  /** Data sets that lost unusable audio files under `onBadFile: "skip"`: how many, and the first few. */
  skippedFiles: SkippedFiles[];
  /**
   * Seconds of work left, divided by the running jobs: each kind at its mean duration so far,
   * or, before one has finished, at the plan's job sizes times the measured seconds per
   * expert-epoch (src/status/eta.ts); null until a first training epoch has been measured.
   */
  etaSeconds: number | null;
}

export function sweepStatus(db: Db, sweep: string): SweepStatus {
  const row = getSweep(db, sweep);
  if (!row) throw new UserError(`no sweep named ${sweep} in this results store.`);
  const trials = sweepTrials(db, sweep);
  const trialCounts = { total: trials.length, done: 0, running: 0, pending: 0, failed: 0 };
  for (const trial of trials) trialCounts[trial.state]++;
  const jobs: SweepStatus['jobs'] = {};
  const jobRows = sweepJobs(db, sweep);
  for (const job of jobRows) {
    const counts = (jobs[job.kind] ??= { total: 0, done: 0, running: 0, pending: 0, failed: 0 });
    counts.total++;
    const state = job.state === 'canceled' ? 'failed' : (job.state as 'done' | 'running' | 'pending' | 'failed');
    counts[state]++;
  }
  const now = Date.now();
  const attempts = runningAttempts(db, sweep);
  const epochSeconds = meanEpochSeconds(db, attempts.map((a) => a.job_key));
  const running = attempts.map((a) => ({
    attempt: a.id,
    job: a.job_key,
    label: labelOf(jobRows, a.job_key),
    attemptNumber: a.number,
    worker: a.worker,
    backend: a.backend,
    device: deviceOf(a.progress),
    startedAt: a.started_at,
    heartbeatAgeSeconds: Math.round((now - Date.parse(a.heartbeat_at)) / 1000),
    progress: a.progress ? (JSON.parse(a.progress) as unknown) : null,
    secondsPerEpoch: epochSeconds.get(a.job_key) ?? null,
  }));
  const failures = failedJobs(db, sweep).map((a) => ({
    job: a.job_key,
    label: labelOf(jobRows, a.job_key),
    attempts: a.number,
    trials: a.trials,
    error: firstLine(a.error ?? 'unknown error'),
  }));
  const left = new Map<string, KindLeft>();
  for (const job of jobRows) {
    if (job.state !== 'done' && job.state !== 'failed') addLeft(left, { kind: job.kind, inputs: JSON.parse(job.inputs) as Record<string, unknown> });
  }
  const durations = meanDurations(db);
  const needsRate = [...left].some(([kind, l]) => l.count > 0 && l.work > 0 && durations[kind] === undefined);
  const rate = needsRate ? measuredRate(db, jobRows, running) : null;
  const parallel = Math.max(1, running.length);
  return {
    sweep,
    description: row.description,
    trials: trialCounts,
    jobs,
    running,
    failures,
    backends: sweepBackends(db, sweep),
    skippedFiles: mergeSkipped(skippedFileEvents(db, sweep)),
    etaSeconds: estimateSeconds(left, durations, rate, parallel),
  };
}

function measuredRate(db: Db, jobRows: Array<{ key: string; kind: string; inputs: string }>, running: SweepStatus['running']): number | null {
  const finished: Measured = { seconds: 0, work: 0 };
  for (const a of finishedAttemptSeconds(db)) addMeasured(finished, { kind: a.kind, inputs: JSON.parse(a.inputs) as Record<string, unknown> }, a.seconds);
  const now = Date.now();
  const partial = running.flatMap((r) => {
    const job = jobRows.find((j) => j.key === r.job);
    const progress = r.progress as { epoch?: number; epochs?: number } | null;
    if (!job || !progress) return [];
    return [{ kind: job.kind, inputs: JSON.parse(job.inputs) as Record<string, unknown>, seconds: (now - Date.parse(r.startedAt)) / 1000, epoch: progress.epoch, epochs: progress.epochs }];
  });
  return secondsPerWork(finished, partial);
}

function labelOf(jobs: Array<{ key: string; kind: string; inputs: string }>, key: string): string {
  const job = jobs.find((j) => j.key === key);
  return job ? jobLabel({ kind: job.kind as never, inputs: JSON.parse(job.inputs) }) : key;
}

/** The scheduler writes a bound job's device into its progress record (see Scheduler.dispatch). */
function deviceOf(progress: string | null): string | null {
  if (!progress) return null;
  const device = (JSON.parse(progress) as { device?: unknown }).device;
  return typeof device === 'string' ? device : null;
}
