import { heartbeatFile, type SlurmLayout } from './layout.js';
import { readHeartbeat, type HeartbeatRecord } from './records.js';
import { latestTasks, type SubmittedTask } from './submissions.js';
import { isAliveState, isStuck, type SlurmQuery, type SlurmSnapshot, type TaskState } from './task-states.js';

/**
 * What became of a job that has no result yet:
 * - alive: queued or running in Slurm (leave it alone);
 * - stuck: pending on a dependency that failed (cancel it and submit again);
 * - dead: its task ended without a result, or Slurm and its heartbeat lost track of it;
 * - unsubmitted: never submitted from this sweep's folder.
 */
export type Liveness = 'alive' | 'stuck' | 'dead' | 'unsubmitted';

export interface JobLiveness {
  jobKey: string;
  liveness: Liveness;
  task: SubmittedTask | null;
  slurm: TaskState | null;
  /** One line for the user: the Slurm state or the heartbeat that decided. */
  detail: string;
}

/** A heartbeat older than this means its worker is gone (it rewrites the file every interval). */
export function staleAfterSeconds(heartbeat: Pick<HeartbeatRecord, 'intervalSeconds'>): number {
  return 3 * heartbeat.intervalSeconds + 30;
}

export function heartbeatAgeSeconds(heartbeat: HeartbeatRecord, now: number): number {
  return Math.max(0, (now - Date.parse(heartbeat.at)) / 1000);
}

export function isFresh(heartbeat: HeartbeatRecord | null, now: number): heartbeat is HeartbeatRecord {
  return heartbeat !== null && heartbeatAgeSeconds(heartbeat, now) <= staleAfterSeconds(heartbeat);
}

/**
 * What Slurm says about every array this sweep submitted. Take it BEFORE collecting: a task
 * that ends in between is then still "running" here (left alone) rather than "ended without
 * a result" because its result file was read just before the worker wrote it.
 */
export function slurmSnapshot(layout: SlurmLayout, query: SlurmQuery): SlurmSnapshot {
  return query([...new Set([...latestTasks(layout).values()].map((t) => t.arrayJobId))]);
}

/**
 * Tell running from dead for the given jobs: Slurm's state of each job's latest array task
 * (squeue, then sacct), and where Slurm knows nothing (no accounting, purged from the
 * controller) the job's heartbeat file.
 */
export function jobLiveness(layout: SlurmLayout, jobKeys: string[], snapshot: SlurmSnapshot, now = Date.now()): Map<string, JobLiveness> {
  const latest = latestTasks(layout);
  const out = new Map<string, JobLiveness>();
  for (const jobKey of jobKeys) {
    const task = latest.get(jobKey) ?? null;
    if (!task) {
      out.set(jobKey, { jobKey, liveness: 'unsubmitted', task: null, slurm: null, detail: 'not submitted yet' });
      continue;
    }
    out.set(jobKey, classify(layout, task, snapshot, now));
  }
  return out;
}

function classify(layout: SlurmLayout, task: SubmittedTask, snapshot: SlurmSnapshot, now: number): JobLiveness {
  const base = { jobKey: task.jobKey, task };
  const state = snapshot.tasks.get(task.taskId) ?? null;
  // sacct lags the controller a little; when squeue answered without this task, a "running"
  // accounting record is stale and only the heartbeat can say more.
  const trusted = state && (state.source === 'squeue' || !snapshot.squeue || !isAliveState(state.state)) ? state : null;
  if (trusted) {
    if (isStuck(trusted)) return { ...base, liveness: 'stuck', slurm: trusted, detail: `task ${task.taskId} pending on a dependency that failed` };
    if (isAliveState(trusted.state)) return { ...base, liveness: 'alive', slurm: trusted, detail: `task ${task.taskId} ${trusted.state}${trusted.reason ? ` (${trusted.reason})` : ''}` };
    return { ...base, liveness: 'dead', slurm: trusted, detail: `task ${task.taskId} ended ${trusted.state} without a result` };
  }
  const heartbeat = readHeartbeat(heartbeatFile(layout, task.jobKey));
  const source = snapshot.sacct ? 'Slurm has no record of it' : snapshot.squeue ? 'the controller forgot it and sacct is not available' : 'Slurm did not answer';
  if (isFresh(heartbeat, now)) {
    return { ...base, liveness: 'alive', slurm: null, detail: `task ${task.taskId}: ${source}, but its heartbeat is ${Math.round(heartbeatAgeSeconds(heartbeat, now))} s old` };
  }
  const beat = heartbeat ? `last heartbeat ${Math.round(heartbeatAgeSeconds(heartbeat, now))} s ago` : 'no heartbeat';
  return { ...base, liveness: 'dead', slurm: null, detail: `task ${task.taskId}: ${source}, ${beat}` };
}
