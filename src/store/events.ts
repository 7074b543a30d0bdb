import { now, type Db } from './database.js';

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
