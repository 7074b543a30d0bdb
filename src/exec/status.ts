import { failedJobs, getSweep, meanDurations, runningAttempts, sweepBackends, sweepJobs, sweepTrials, type Db } from '../store/index.js';
import { firstLine, UserError } from '../util/errors.js';
import { jobLabel } from './job-label.js';

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
  }>;
  failures: Array<{ job: string; label: string; attempts: number; trials: number; error: string }>;
  backends: Array<{ backend: string; attempts: number }>;
  /** Seconds of work left at the mean duration per job kind so far, divided by the running jobs (null until each kind has finished once). */
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
  const running = runningAttempts(db, sweep).map((a) => ({
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
  }));
  const failures = failedJobs(db, sweep).map((a) => ({
    job: a.job_key,
    label: labelOf(jobRows, a.job_key),
    attempts: a.number,
    trials: a.trials,
    error: firstLine(a.error ?? 'unknown error'),
  }));
  const durations = meanDurations(db);
  let remaining = 0;
  let known = true;
  for (const job of jobRows) {
    if (job.state === 'done' || job.state === 'failed') continue;
    const mean = durations[job.kind];
    if (mean === undefined) known = false;
    else remaining += mean;
  }
  const parallel = Math.max(1, running.length);
  return {
    sweep,
    description: row.description,
    trials: trialCounts,
    jobs,
    running,
    failures,
    backends: sweepBackends(db, sweep),
    etaSeconds: known ? remaining / parallel : null,
  };
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
