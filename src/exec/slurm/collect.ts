import { existsSync, readdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { completeAttempt, failAttempt, interruptAttempt, logEvent, startAttempt, type Db } from '../../store/index.js';
import { isUserError } from '../../util/errors.js';
import { heartbeatFile, slurmLayout, slurmRoot } from './layout.js';
import { isFresh } from './liveness.js';
import { readHeartbeat, readResultFile, type HeartbeatRecord, type SlurmAttemptRecord, type SlurmResultFile } from './records.js';
import { isAliveState, querySlurm, type SlurmQuery } from './task-states.js';

export interface CollectSummary {
  sweep: string;
  /** Result files read. */
  files: number;
  /** Attempts new to the store. */
  added: number;
  /** Attempts whose state the store learnt (ended, or found lost). */
  updated: number;
  /** Jobs whose results were stored (now done). */
  results: number;
  /** Attempts a worker left running that Slurm and the heartbeat say are gone. */
  lost: number;
  /** Files that could not be collected, one message each (file and what is wrong). */
  problems: string[];
}

export interface CollectOptions {
  /** Asks Slurm about tasks whose heartbeat stopped; null: decide by heartbeat alone. */
  query?: SlurmQuery | null;
  now?: number;
}

interface KnownAttempt {
  id: number;
  state: string;
  heartbeat_at: string;
  progress: string | null;
}

/** Heartbeat interval assumed for an attempt that died before writing its first heartbeat. */
const defaultHeartbeatSeconds = 30;

/**
 * Merge the files Slurm workers wrote into the store. Each attempt in a result file maps to
 * one store attempt, found by its run id `slurm:<attempt id>`, so collecting twice changes
 * nothing: an attempt already in the store in the same state is skipped. Each file is one
 * transaction; the store functions keep job states, results and events consistent.
 */
export function collectSweep(db: Db, resultsDir: string, sweep: string, options: CollectOptions = {}): CollectSummary {
  const root = resolve(resultsDir);
  const layout = slurmLayout(root, sweep);
  const summary: CollectSummary = { sweep, files: 0, added: 0, updated: 0, results: 0, lost: 0, problems: [] };
  if (!existsSync(layout.results)) return summary;
  const now = options.now ?? Date.now();
  const known = new Map<string, KnownAttempt>();
  const rows = db.prepare("SELECT id, run_id, state, heartbeat_at, progress FROM attempts WHERE run_id LIKE 'slurm:%'").all() as Array<KnownAttempt & { run_id: string }>;
  for (const row of rows) known.set(row.run_id, row);
  const jobState = db.prepare('SELECT state FROM jobs WHERE key = ?');
  const suspects: Array<{ record: SlurmResultFile; attempt: SlurmAttemptRecord; file: string; heartbeat: HeartbeatRecord | null }> = [];

  for (const name of readdirSync(layout.results).filter((n) => n.endsWith('.json')).sort()) {
    const file = join(layout.results, name);
    let record: SlurmResultFile;
    try {
      record = readResultFile(file);
    } catch (error) {
      if (!isUserError(error)) throw error;
      summary.problems.push(error.message);
      continue;
    }
    summary.files++;
    if (`${record.jobKey}.json` !== basename(file)) {
      summary.problems.push(`${file}: holds job ${record.jobKey}, not the job its name says; expected ${record.jobKey}.json. Move it back or delete it.`);
      continue;
    }
    if (!jobState.get(record.jobKey)) {
      summary.problems.push(`${file}: job ${record.jobKey} is not in the results store (another store, or the sweep changed). Submit the sweep again (ablate run <sweep> --executor slurm) to register its jobs, then collect.`);
      continue;
    }
    const relativeFile = relative(root, file);
    const heartbeat = readHeartbeat(heartbeatFile(layout, record.jobKey));
    db.transaction(() => {
      for (const attempt of record.attempts) {
        const problem = applyAttempt(db, { sweep, record, attempt, file: relativeFile, known, summary });
        if (problem) summary.problems.push(`${file}: ${problem}`);
        const stored = known.get(runIdOf(attempt));
        if (attempt.state === 'running' && stored?.state === 'running') {
          refreshHeartbeat(db, stored, attempt, heartbeat);
          const current = heartbeat?.attempt === attempt.id ? heartbeat : null;
          if (!isFresh(current, now) && !isFresh(startAsHeartbeat(attempt), now)) suspects.push({ record, attempt, file: relativeFile, heartbeat: current });
        }
      }
    }).immediate();
  }
  if (suspects.length > 0) markLost(db, sweep, suspects, known, summary, options.query === undefined ? querySlurm : options.query);
  return summary;
}

/** Collect every sweep that has a Slurm folder under the results folder (or the ones named). */
export function collectAll(db: Db, resultsDir: string, sweeps?: string[], options: CollectOptions = {}): CollectSummary[] {
  const root = slurmRoot(resolve(resultsDir));
  const names = sweeps ?? (existsSync(root) ? readdirSync(root).sort() : []);
  return names.filter((name) => existsSync(slurmLayout(resolve(resultsDir), name).results)).map((name) => collectSweep(db, resultsDir, name, options));
}

function runIdOf(attempt: SlurmAttemptRecord): string {
  return `slurm:${attempt.id}`;
}

type StoreState = 'running' | 'done' | 'failed' | 'interrupted';

function storeState(attempt: SlurmAttemptRecord): StoreState {
  return attempt.state === 'lost' ? 'interrupted' : attempt.state;
}

interface ApplyContext {
  sweep: string;
  record: SlurmResultFile;
  attempt: SlurmAttemptRecord;
  file: string;
  known: Map<string, KnownAttempt>;
  summary: CollectSummary;
}

/** Bring one attempt's store record up to what its file says; returns a problem, if any. */
function applyAttempt(db: Db, context: ApplyContext): string | null {
  const { sweep, record, attempt, known, summary } = context;
  const jobKey = record.jobKey;
  const runId = runIdOf(attempt);
  const target = storeState(attempt);
  let row = known.get(runId);
  const jobStateOf = () => (db.prepare('SELECT state FROM jobs WHERE key = ?').get(jobKey) as { state: string }).state;
  if (!row) {
    const doneBefore = jobStateOf() === 'done';
    const { attemptId } = startAttempt(db, { jobKey, runId, worker: null, backend: attempt.backend ?? null, sweep });
    // startAttempt marks the job running; an old attempt collected late must not undo a result.
    if (doneBefore) db.prepare("UPDATE jobs SET state = 'done' WHERE key = ?").run(jobKey);
    // The store function stamps this machine and now; the attempt ran on a node, earlier.
    db.prepare('UPDATE attempts SET host = ?, pid = ?, started_at = ?, heartbeat_at = ? WHERE id = ?').run(attempt.host, attempt.pid, attempt.started, attempt.started, attemptId);
    row = { id: attemptId, state: 'running', heartbeat_at: attempt.started, progress: null };
    known.set(runId, row);
    summary.added++;
    logEvent(db, { type: 'slurm-collected', sweep, jobKey, attemptId, data: { file: context.file, attempt: attempt.id, state: attempt.state, slurm: attempt.slurm } });
  } else if (row.state === target || target === 'running') {
    // Already collected; or the store knows it ended (found lost) and a late "running" changes nothing.
    return null;
  } else {
    summary.updated++;
    logEvent(db, { type: 'slurm-collected', sweep, jobKey, attemptId: row.id, data: { file: context.file, attempt: attempt.id, state: attempt.state } });
  }
  if (target === 'running') return null;
  const ended = attempt.ended ?? attempt.started;
  const jobDone = jobStateOf() === 'done';
  if (target === 'done') {
    if (!record.result) return `attempt ${attempt.id} is done but the file holds no result; run the job again (ablate resume ${sweep} --executor slurm).`;
    completeAttempt(db, row.id, jobKey, record.result);
    db.prepare('UPDATE jobs SET finished_at = ?, updated_at = ? WHERE key = ?').run(ended, ended, jobKey);
    summary.results++;
  } else if (jobDone) {
    // A stale attempt of a job that is done (elsewhere or later): record it, keep the job done.
    db.prepare('UPDATE attempts SET state = ?, error = ?, stack = ? WHERE id = ?').run(target, attempt.error ?? attempt.reason ?? null, attempt.stack ?? null, row.id);
  } else if (target === 'failed') {
    failAttempt(db, row.id, jobKey, { message: attempt.error ?? 'failed without a message', ...(attempt.stack ? { stack: attempt.stack } : {}) }, attempt.final === true);
  } else {
    // interruptAttempt only touches attempts still running; one the store already marked
    // otherwise (say, lost and now reported interrupted by its worker) just takes the state.
    interruptAttempt(db, row.id, jobKey, attempt.reason ?? 'interrupted');
    db.prepare('UPDATE attempts SET state = ?, error = ? WHERE id = ?').run(target, attempt.reason ?? 'interrupted', row.id);
  }
  db.prepare('UPDATE attempts SET ended_at = ?, heartbeat_at = ?, backend = COALESCE(?, backend) WHERE id = ?').run(ended, ended, attempt.backend ?? null, row.id);
  row.state = target;
  row.heartbeat_at = ended;
  return null;
}

/** Copy a running attempt's heartbeat (time, progress) into the store when it moved on. */
function refreshHeartbeat(db: Db, stored: KnownAttempt, attempt: SlurmAttemptRecord, heartbeat: HeartbeatRecord | null): void {
  if (!heartbeat || heartbeat.attempt !== attempt.id) return;
  const progress = heartbeat.progress === undefined ? null : JSON.stringify(heartbeat.progress);
  if (stored.heartbeat_at === heartbeat.at && stored.progress === progress) return;
  db.prepare('UPDATE attempts SET heartbeat_at = ?, progress = ?, backend = COALESCE(?, backend) WHERE id = ?').run(heartbeat.at, progress, attempt.backend ?? null, stored.id);
  stored.heartbeat_at = heartbeat.at;
  stored.progress = progress;
}

function startAsHeartbeat(attempt: SlurmAttemptRecord): HeartbeatRecord {
  return { attempt: attempt.id, jobKey: '', host: attempt.host, pid: attempt.pid, at: attempt.started, intervalSeconds: defaultHeartbeatSeconds, slurm: attempt.slurm };
}

/**
 * Attempts whose worker stopped beating: a worker killed outright (SIGKILL, out of memory,
 * node failure) cannot write its file. Unless Slurm says their task still runs, they are
 * marked interrupted in the store (the file stays as the worker left it; the next worker
 * for the job marks it lost there too).
 */
function markLost(db: Db, sweep: string, suspects: Array<{ record: SlurmResultFile; attempt: SlurmAttemptRecord; file: string; heartbeat: HeartbeatRecord | null }>, known: Map<string, KnownAttempt>, summary: CollectSummary, query: SlurmQuery | null): void {
  const taskOf = (attempt: SlurmAttemptRecord) => (attempt.slurm?.arrayJobId && attempt.slurm.arrayTaskId !== null ? `${attempt.slurm.arrayJobId}_${attempt.slurm.arrayTaskId}` : null);
  const arrays = suspects.map((s) => s.attempt.slurm?.arrayJobId).filter((id): id is string => typeof id === 'string');
  const snapshot = query && arrays.length > 0 ? query(arrays) : null;
  db.transaction(() => {
    for (const { record, attempt, file, heartbeat } of suspects) {
      const task = taskOf(attempt);
      const state = task ? snapshot?.tasks.get(task) : undefined;
      if (state && isAliveState(state.state)) continue;
      const row = known.get(runIdOf(attempt));
      if (!row || row.state !== 'running') continue;
      const last = heartbeat?.at ?? attempt.started;
      const reason = `lost: the worker (pid ${attempt.pid} on ${attempt.host}${task ? `, task ${task}` : ''}) stopped writing its heartbeat at ${last}` + (state ? `; Slurm says ${state.state}` : '');
      interruptAttempt(db, row.id, record.jobKey, reason);
      db.prepare('UPDATE attempts SET ended_at = ? WHERE id = ?').run(last, row.id);
      logEvent(db, { type: 'slurm-lost', sweep, jobKey: record.jobKey, attemptId: row.id, data: { file, attempt: attempt.id, reason } });
      row.state = 'interrupted';
      summary.lost++;
    }
  }).immediate();
}

