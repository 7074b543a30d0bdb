import type { Db } from './database.js';

export type TrialState = 'pending' | 'running' | 'done' | 'failed';

export interface SweepRow {
  name: string;
  file: string;
  description: string | null;
  spec: string;
  axes: string;
  registered_at: string;
  updated_at: string;
}

export function getSweep(db: Db, name: string): SweepRow | undefined {
  return db.prepare('SELECT * FROM sweeps WHERE name = ?').get(name) as SweepRow | undefined;
}

export function listSweeps(db: Db): SweepRow[] {
  return db.prepare('SELECT * FROM sweeps ORDER BY updated_at DESC').all() as SweepRow[];
}

export interface TrialRow {
  id: string;
  kind: string;
  config: string;
  result_job: string;
  position: number;
  params: string;
  state: TrialState;
}

/**
 * The sweep's trials in plan order with their state, derived from their jobs: done when
 * the result job is done; failed when one of its jobs failed for good; running when one of
 * its jobs runs; pending otherwise.
 */
export function sweepTrials(db: Db, sweep: string): TrialRow[] {
  return db
    .prepare(
      `SELECT t.id, t.kind, t.config, t.result_job, st.position, st.params,
         CASE
           WHEN (SELECT state FROM jobs WHERE key = t.result_job) = 'done' THEN 'done'
           WHEN EXISTS (SELECT 1 FROM trial_jobs tj JOIN jobs j ON j.key = tj.job_key WHERE tj.trial_id = t.id AND j.state = 'failed') THEN 'failed'
           WHEN EXISTS (SELECT 1 FROM trial_jobs tj JOIN jobs j ON j.key = tj.job_key WHERE tj.trial_id = t.id AND j.state = 'running') THEN 'running'
           ELSE 'pending'
         END AS state
       FROM sweep_trials st JOIN trials t ON t.id = st.trial_id
       WHERE st.sweep = ? ORDER BY st.position`,
    )
    .all(sweep) as TrialRow[];
}

export interface JobRow {
  key: string;
  kind: string;
  inputs: string;
  state: string;
  attempts: number;
  summary: string | null;
}

/** Every job the sweep's trials need (each once). */
export function sweepJobs(db: Db, sweep: string): JobRow[] {
  return db
    .prepare(
      `SELECT DISTINCT j.key, j.kind, j.inputs, j.state, j.attempts, j.summary FROM jobs j
       JOIN trial_jobs tj ON tj.job_key = j.key JOIN sweep_trials st ON st.trial_id = tj.trial_id
       WHERE st.sweep = ?`,
    )
    .all(sweep) as JobRow[];
}

export interface AttemptRow {
  id: number;
  job_key: string;
  kind: string;
  number: number;
  host: string;
  pid: number;
  worker: number | null;
  backend: string | null;
  state: string;
  started_at: string;
  heartbeat_at: string;
  ended_at: string | null;
  progress: string | null;
  error: string | null;
  stack: string | null;
}

export function runningAttempts(db: Db, sweep: string): AttemptRow[] {
  return db
    .prepare(
      `SELECT a.*, j.kind FROM attempts a JOIN jobs j ON j.key = a.job_key
       WHERE a.state = 'running' AND a.job_key IN (SELECT tj.job_key FROM trial_jobs tj JOIN sweep_trials st ON st.trial_id = tj.trial_id WHERE st.sweep = ?)
       ORDER BY a.started_at`,
    )
    .all(sweep) as AttemptRow[];
}

/**
 * Failed jobs of the sweep with their last attempt, whose error is the first failure of
 * that attempt's run: a retry that dies at once (a bare `Aborted()` after an out-of-memory
 * crash) must not hide the message that said why.
 */
export function failedJobs(db: Db, sweep: string): Array<AttemptRow & { trials: number }> {
  const rows = db
    .prepare(
      `SELECT a.*, j.kind, (SELECT COUNT(*) FROM trial_jobs x JOIN sweep_trials y ON y.trial_id = x.trial_id WHERE x.job_key = j.key AND y.sweep = ?) AS trials,
         COALESCE((SELECT f.error FROM attempts f WHERE f.job_key = j.key AND f.run_id = a.run_id AND f.state = 'failed' ORDER BY f.number LIMIT 1), a.error) AS first_error
       FROM jobs j JOIN attempts a ON a.job_key = j.key AND a.number = j.attempts
       WHERE j.state = 'failed' AND j.key IN (SELECT tj.job_key FROM trial_jobs tj JOIN sweep_trials st ON st.trial_id = tj.trial_id WHERE st.sweep = ?)
       ORDER BY a.ended_at`,
    )
    .all(sweep, sweep) as Array<AttemptRow & { trials: number; first_error: string | null }>;
  return rows.map(({ first_error, ...row }) => ({ ...row, error: first_error }));
}

/** Mean seconds per finished attempt, by job kind (for ETAs). */
export function meanDurations(db: Db): Record<string, number> {
  const rows = db
    .prepare(
      `SELECT j.kind, AVG((julianday(a.ended_at) - julianday(a.started_at)) * 86400.0) AS seconds
       FROM attempts a JOIN jobs j ON j.key = a.job_key WHERE a.state = 'done' GROUP BY j.kind`,
    )
    .all() as Array<{ kind: string; seconds: number }>;
  return Object.fromEntries(rows.map((r) => [r.kind, r.seconds]));
}

/** Seconds of every finished attempt with its job's kind and inputs (for ETAs from job sizes). */
export function finishedAttemptSeconds(db: Db): Array<{ kind: string; inputs: string; seconds: number }> {
  return db
    .prepare(
      `SELECT j.kind, j.inputs, (julianday(a.ended_at) - julianday(a.started_at)) * 86400.0 AS seconds
       FROM attempts a JOIN jobs j ON j.key = a.job_key WHERE a.state = 'done'`,
    )
    .all() as Array<{ kind: string; inputs: string; seconds: number }>;
}

export interface ScoreRow {
  trial_id: string;
  dataset: string;
  grp: string;
  metric: string;
  value: number | null;
}

/** Scores of the sweep's trials (through their result jobs). */
export function sweepScores(db: Db, sweep: string): ScoreRow[] {
  return db
    .prepare(
      `SELECT st.trial_id, s.dataset, s.grp, s.metric, s.value FROM sweep_trials st
       JOIN trials t ON t.id = st.trial_id JOIN scores s ON s.job_key = t.result_job
       WHERE st.sweep = ? ORDER BY st.position, s.grp, s.dataset, s.metric`,
    )
    .all(sweep) as ScoreRow[];
}

export interface GateWeightRow {
  trial_id: string;
  dataset: string;
  expert: number;
  expert_label: string;
  mean_weight: number;
  selected_fraction: number | null;
}

export function sweepGateWeights(db: Db, sweep: string): GateWeightRow[] {
  return db
    .prepare(
      `SELECT st.trial_id, g.dataset, g.expert, g.expert_label, g.mean_weight, g.selected_fraction FROM sweep_trials st
       JOIN trials t ON t.id = st.trial_id JOIN gate_weights g ON g.job_key = t.result_job
       WHERE st.sweep = ? ORDER BY st.position, g.dataset, g.expert`,
    )
    .all(sweep) as GateWeightRow[];
}

export interface ExpertMetricRow {
  trial_id: string;
  dataset: string;
  expert: number;
  expert_label: string;
  metric: string;
  value: number | null;
}

/** Each expert's own metrics inside the sweep's mixtures (through the trials' result jobs). */
export function sweepExpertMetrics(db: Db, sweep: string): ExpertMetricRow[] {
  return db
    .prepare(
      `SELECT st.trial_id, m.dataset, m.expert, m.expert_label, m.metric, m.value FROM sweep_trials st
       JOIN trials t ON t.id = st.trial_id JOIN expert_metrics m ON m.job_key = t.result_job
       WHERE st.sweep = ? ORDER BY st.position, m.dataset, m.expert, m.metric`,
    )
    .all(sweep) as ExpertMetricRow[];
}

export interface EpochRow {
  trial_id: string;
  job_key: string;
  kind: string;
  stage: string;
  epoch: number;
  name: string;
  value: number | null;
}

/** Per-epoch metrics of every training job of each trial (pre-training and mixture). */
export function sweepEpochMetrics(db: Db, sweep: string): EpochRow[] {
  return db
    .prepare(
      `SELECT st.trial_id, e.job_key, j.kind, e.stage, e.epoch, e.name, e.value FROM sweep_trials st
       JOIN trial_jobs tj ON tj.trial_id = st.trial_id JOIN jobs j ON j.key = tj.job_key
       JOIN epoch_metrics e ON e.job_key = j.key
       WHERE st.sweep = ? ORDER BY st.position, e.job_key, e.stage, e.epoch`,
    )
    .all(sweep) as EpochRow[];
}

/**
 * Backends recorded by the sweep's attempts, with counts. Attempts without one are left
 * out: feature extraction uses no TensorFlow.js backend, and a starting job names its
 * backend only once it has loaded it, so counting them showed "unknown".
 */
export function sweepBackends(db: Db, sweep: string): Array<{ backend: string; attempts: number }> {
  return db
    .prepare(
      `SELECT a.backend AS backend, COUNT(*) AS attempts FROM attempts a
       WHERE a.backend IS NOT NULL AND a.job_key IN (SELECT tj.job_key FROM trial_jobs tj JOIN sweep_trials st ON st.trial_id = tj.trial_id WHERE st.sweep = ?)
       GROUP BY 1 ORDER BY 2 DESC`,
    )
    .all(sweep) as Array<{ backend: string; attempts: number }>;
}

/**
 * Mean wall seconds per epoch (the `seconds` epoch metric) of each of these jobs that has
 * one: the s/epoch `ablate status` shows beside a running job.
 */
export function meanEpochSeconds(db: Db, jobKeys: readonly string[]): Map<string, number> {
  const statement = db.prepare(`SELECT AVG(value) AS seconds FROM epoch_metrics WHERE job_key = ? AND name = 'seconds' AND value IS NOT NULL`);
  const means = new Map<string, number>();
  for (const key of new Set(jobKeys)) {
    const row = statement.get(key) as { seconds: number | null } | undefined;
    if (row && row.seconds !== null) means.set(key, row.seconds);
  }
  return means;
}
