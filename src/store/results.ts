import { now, type Db } from './database.js';
import type { EpochMetrics, JobResult } from '../protocol/records.js';

/**
 * Per-epoch metrics. Keyed by (job, stage, epoch, name): an epoch replayed after a resume
 * replaces its row instead of adding one, so metrics are never duplicated.
 */
export function recordEpochMetrics(db: Db, jobKey: string, attemptId: number, epoch: EpochMetrics): void {
  const statement = db.prepare(
    `INSERT INTO epoch_metrics (job_key, stage, epoch, name, value, attempt_id) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(job_key, stage, epoch, name) DO UPDATE SET value = excluded.value, attempt_id = excluded.attempt_id`,
  );
  db.transaction(() => {
    for (const [name, value] of Object.entries(epoch.metrics)) {
      statement.run(jobKey, epoch.stage, epoch.epoch, name, finiteOrNull(value), attemptId);
    }
  })();
}

/** Store a job's outputs; called inside the transaction that marks the job done. */
export function recordJobResult(db: Db, jobKey: string, result: JobResult, attemptId: number | null = null): void {
  const stamp = now();
  const epochRow = db.prepare(
    `INSERT INTO epoch_metrics (job_key, stage, epoch, name, value, attempt_id) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(job_key, stage, epoch, name) DO UPDATE SET value = excluded.value`,
  );
  for (const epoch of result.epochs ?? []) {
    for (const [name, value] of Object.entries(epoch.metrics)) epochRow.run(jobKey, epoch.stage, epoch.epoch, name, finiteOrNull(value), attemptId);
  }
  const artifact = db.prepare(
    `INSERT INTO artifacts (job_key, name, path, size, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(job_key, name) DO UPDATE SET path = excluded.path, size = excluded.size, sha256 = excluded.sha256, created_at = excluded.created_at`,
  );
  for (const a of result.artifacts) artifact.run(jobKey, a.name, a.path, a.size, a.sha256, stamp);
  const score = db.prepare(
    `INSERT INTO scores (job_key, dataset, grp, metric, value) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(job_key, dataset, metric) DO UPDATE SET grp = excluded.grp, value = excluded.value`,
  );
  for (const s of result.scores ?? []) {
    for (const [metric, value] of Object.entries(s.metrics)) score.run(jobKey, s.dataset, s.group, metric, finiteOrNull(value));
  }
  const gate = db.prepare(
    `INSERT INTO gate_weights (job_key, dataset, expert, expert_label, mean_weight, selected_fraction) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(job_key, dataset, expert) DO UPDATE SET expert_label = excluded.expert_label, mean_weight = excluded.mean_weight,
       selected_fraction = excluded.selected_fraction`,
  );
  for (const g of result.gateWeights ?? []) gate.run(jobKey, g.dataset, g.expert, g.label, g.meanWeight, g.selectedFraction ?? null);
  const expertMetric = db.prepare(
    `INSERT INTO expert_metrics (job_key, dataset, expert, expert_label, metric, value) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(job_key, dataset, expert, metric) DO UPDATE SET expert_label = excluded.expert_label, value = excluded.value`,
  );
  for (const e of result.expertMetrics ?? []) {
    for (const [metric, value] of Object.entries(e.metrics)) expertMetric.run(jobKey, e.dataset, e.expert, e.label, metric, finiteOrNull(value));
  }
  // A finished evaluation is its trials' result, also where an older one (of keys from before
  // an upgrade) was (src/store/register.ts keeps that until this one is done).
  db.prepare(
    `UPDATE trials SET result_job = ? WHERE result_job <> ? AND (SELECT kind FROM jobs WHERE key = ?) = 'evaluate'
       AND id IN (SELECT trial_id FROM trial_jobs WHERE job_key = ?)`,
  ).run(jobKey, jobKey, jobKey, jobKey);
}

function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
