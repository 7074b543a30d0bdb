import { hostname } from 'node:os';
import { UserError } from '../util/errors.js';
import { now, type Db } from './database.js';

/** How long a lock holder may go without a heartbeat before another run may take over. */
export const LOCK_STALE_MS = 60_000;

export interface LockOwner {
  runId: string;
  host: string;
  pid: number;
  sweep: string | null;
}

interface LockRow {
  run_id: string;
  host: string;
  pid: number;
  sweep: string | null;
  started_at: string;
  heartbeat_at: string;
}

/**
 * One `ablate run` per results store at a time: a second one refuses with a message
 * naming the first. Cooperating through leases would allow more, but two processes
 * would then share one machine's cores and GPU for no gain; on a cluster, Slurm's array
 * tasks are the way to run in parallel. A lock whose holder is gone (its pid no longer
 * exists on this host, or no heartbeat for LOCK_STALE_MS) is taken over.
 */
export function acquireRunLock(db: Db, owner: LockOwner): { tookOverFrom: LockRow | null } {
  return db
    .transaction(() => {
      const row = db.prepare('SELECT * FROM run_lock WHERE id = 1').get() as LockRow | undefined;
      if (row && row.run_id !== owner.runId && holderAlive(row)) {
        throw new UserError(
          `another ablate run is using this results store: pid ${row.pid} on ${row.host}` +
            `${row.sweep ? ` (sweep ${row.sweep})` : ''}, started ${row.started_at}, last heartbeat ${row.heartbeat_at}. ` +
            `Wait for it to finish or stop it (Ctrl-C); a run that died releases the store ${LOCK_STALE_MS / 1000} s after its last heartbeat. ` +
            'Status and reports can be read meanwhile (ablate status).',
          { exitCode: 3 },
        );
      }
      const stamp = now();
      db.prepare(
        `INSERT INTO run_lock (id, run_id, host, pid, sweep, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET run_id = excluded.run_id, host = excluded.host, pid = excluded.pid,
           sweep = excluded.sweep, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at`,
      ).run(owner.runId, owner.host, owner.pid, owner.sweep, stamp, stamp);
      return { tookOverFrom: row && row.run_id !== owner.runId ? row : null };
    })
    .immediate();
}

export function heartbeatRunLock(db: Db, runId: string): void {
  db.prepare('UPDATE run_lock SET heartbeat_at = ? WHERE id = 1 AND run_id = ?').run(now(), runId);
}

export function releaseRunLock(db: Db, runId: string): void {
  db.prepare('DELETE FROM run_lock WHERE id = 1 AND run_id = ?').run(runId);
}

function holderAlive(row: LockRow): boolean {
  const age = Date.now() - Date.parse(row.heartbeat_at);
  if (age > LOCK_STALE_MS) return false;
  if (row.host === hostname()) return processExists(row.pid);
  return true;
}

export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
