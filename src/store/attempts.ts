import { hostname } from 'node:os';
import { now, type Db } from './database.js';
import { logEvent } from './events.js';
import { recordJobResult } from './results.js';
import type { JobResult } from '../protocol/records.js';

export interface AttemptStart {
  jobKey: string;
  runId: string;
  worker: number | null;
  backend: string | null;
  sweep: string | null;
}

/** Mark a job running and open an attempt for it; returns the attempt id. */
export function startAttempt(db: Db, start: AttemptStart): { attemptId: number; number: number } {
  return db
    .transaction(() => {
      const stamp = now();
      const job = db.prepare('SELECT attempts FROM jobs WHERE key = ?').get(start.jobKey) as { attempts: number };
      const number = job.attempts + 1;
      const info = db
        .prepare(
          `INSERT INTO attempts (job_key, number, run_id, host, pid, worker, backend, state, started_at, heartbeat_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
        )
        .run(start.jobKey, number, start.runId, hostname(), process.pid, start.worker, start.backend, stamp, stamp);
      db.prepare("UPDATE jobs SET state = 'running', attempts = ?, updated_at = ? WHERE key = ?").run(number, stamp, start.jobKey);
      const attemptId = Number(info.lastInsertRowid);
      logEvent(db, { type: 'attempt-started', sweep: start.sweep, jobKey: start.jobKey, attemptId, data: { number, worker: start.worker } });
      return { attemptId, number };
    })
    .immediate();
}

/** The job finished: its outputs, the attempt and the job state change in one transaction. */
export function completeAttempt(db: Db, attemptId: number, jobKey: string, result: JobResult): void {
  db.transaction(() => {
    const stamp = now();
    recordJobResult(db, jobKey, result, attemptId);
    db.prepare("UPDATE attempts SET state = 'done', ended_at = ?, heartbeat_at = ?, backend = COALESCE(?, backend) WHERE id = ?").run(
      stamp,
      stamp,
      result.backend ?? null,
      attemptId,
    );
    db.prepare("UPDATE jobs SET state = 'done', updated_at = ?, finished_at = ?, summary = ? WHERE key = ?").run(
      stamp,
      stamp,
      result.summary ? JSON.stringify(result.summary) : null,
      jobKey,
    );
    logEvent(db, { type: 'attempt-done', jobKey, attemptId });
    if (result.skippedFiles && result.skippedFiles.length > 0) logEvent(db, { type: 'files-skipped', jobKey, attemptId, data: result.skippedFiles });
  }).immediate();
}

/** The attempt failed; the job goes back to pending for a retry, or fails for good. */
export function failAttempt(db: Db, attemptId: number, jobKey: string, error: { message: string; stack?: string }, final: boolean): void {
  db.transaction(() => {
    const stamp = now();
    db.prepare("UPDATE attempts SET state = 'failed', ended_at = ?, error = ?, stack = ? WHERE id = ?").run(stamp, error.message, error.stack ?? null, attemptId);
    db.prepare('UPDATE jobs SET state = ?, updated_at = ? WHERE key = ?').run(final ? 'failed' : 'pending', stamp, jobKey);
    logEvent(db, { type: final ? 'job-failed' : 'attempt-failed', jobKey, attemptId, data: { error: error.message } });
  }).immediate();
}

/** Stopped before finishing (Ctrl-C, SIGTERM, a dead process): the job will run again. */
export function interruptAttempt(db: Db, attemptId: number, jobKey: string, reason: string): void {
  db.transaction(() => {
    const stamp = now();
    db.prepare("UPDATE attempts SET state = 'interrupted', ended_at = ?, error = ? WHERE id = ? AND state = 'running'").run(stamp, reason, attemptId);
    db.prepare("UPDATE jobs SET state = 'pending', updated_at = ? WHERE key = ? AND state = 'running'").run(stamp, jobKey);
    logEvent(db, { type: 'attempt-interrupted', jobKey, attemptId, data: { reason } });
  }).immediate();
}

export function heartbeatAttempts(db: Db, attemptIds: number[]): void {
  if (attemptIds.length === 0) return;
  const stamp = now();
  const statement = db.prepare('UPDATE attempts SET heartbeat_at = ? WHERE id = ?');
  db.transaction(() => {
    for (const id of attemptIds) statement.run(stamp, id);
  })();
}

export function recordProgress(db: Db, attemptId: number, progress: unknown): void {
  db.prepare('UPDATE attempts SET progress = ?, heartbeat_at = ? WHERE id = ?').run(JSON.stringify(progress), now(), attemptId);
}

/**
 * Attempts left `running` by a run that is gone (killed, power loss). Called by a run that
 * holds the store's lock, so no live process owns them: they become `interrupted` and
 * their jobs go back to pending (to resume from their last checkpoint).
 */
export function recoverAbandonedAttempts(db: Db): Array<{ id: number; job_key: string; pid: number; host: string }> {
  return db
    .transaction(() => {
      const rows = db.prepare("SELECT id, job_key, pid, host FROM attempts WHERE state = 'running'").all() as Array<{
        id: number;
        job_key: string;
        pid: number;
        host: string;
      }>;
      for (const row of rows) interruptAttempt(db, row.id, row.job_key, `abandoned: the run (pid ${row.pid} on ${row.host}) stopped without finishing it`);
      // A job can be left running without an open attempt only by a crash between the two
      // updates, which the transactions rule out; this keeps the invariant regardless.
      db.prepare("UPDATE jobs SET state = 'pending' WHERE state = 'running' AND key NOT IN (SELECT job_key FROM attempts WHERE state = 'running')").run();
      return rows;
    })
    .immediate();
}
