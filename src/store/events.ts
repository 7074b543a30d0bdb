import { now, type Db } from './database.js';
import type { SkippedFiles } from '../protocol/records.js';

export interface EventInput {
  type: string;
  sweep?: string | null;
  jobKey?: string | null;
  attemptId?: number | null;
  data?: unknown;
}

/** Append to the event log: what happened when, for status, debugging and audits. */
export function logEvent(db: Db, event: EventInput): void {
  db.prepare('INSERT INTO events (at, type, sweep, job_key, attempt_id, data) VALUES (?, ?, ?, ?, ?, ?)').run(
    now(),
    event.type,
    event.sweep ?? null,
    event.jobKey ?? null,
    event.attemptId ?? null,
    event.data === undefined ? null : JSON.stringify(event.data),
  );
}

/** Every files-skipped event of the jobs of a sweep (what onBadFile: "skip" left out), oldest first. */
export function skippedFileEvents(db: Db, sweep: string): SkippedFiles[] {
  const rows = db
    .prepare(
      `SELECT e.data FROM events e WHERE e.type = 'files-skipped' AND e.job_key IN (
         SELECT tj.job_key FROM trial_jobs tj JOIN sweep_trials st ON st.trial_id = tj.trial_id WHERE st.sweep = ?)
       ORDER BY e.id`,
    )
    .all(sweep) as Array<{ data: string | null }>;
  return rows.flatMap((row) => (row.data ? (JSON.parse(row.data) as SkippedFiles[]) : []));
}
