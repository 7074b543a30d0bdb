import { slurmCommand } from './slurm-cli.js';

/** What Slurm says about one array task ("<array job id>_<index>"). */
export interface TaskState {
  state: string;
  reason: string | null;
  source: 'squeue' | 'sacct';
}

export interface SlurmSnapshot {
  tasks: Map<string, TaskState>;
  /** squeue answered: the controller's view of recent jobs (MinJobAge) is in `tasks`. */
  squeue: boolean;
  /** sacct answered: the accounting database's view of every job is in `tasks`. */
  sacct: boolean;
}

export type SlurmQuery = (arrayJobIds: string[]) => SlurmSnapshot;

/** States in which a task will still run (or is running). */
const aliveStates = new Set([
  'PENDING',
  'CONFIGURING',
  'RUNNING',
  'COMPLETING',
  'SUSPENDED',
  'REQUEUED',
  'REQUEUE_FED',
  'REQUEUE_HOLD',
  'RESIZING',
  'SIGNALING',
  'STAGE_OUT',
  'STOPPED',
  'RESV_DEL_HOLD',
  'SPECIAL_EXIT',
]);

export function isAliveState(state: string): boolean {
  return aliveStates.has(state);
}

/** Pending on a dependency that can no longer be met (a task it waits for failed). */
export function isStuck(task: TaskState): boolean {
  return task.state === 'PENDING' && task.reason === 'DependencyNeverSatisfied';
}

/**
 * Ask Slurm about every task of the given array jobs: squeue for the controller's live view
 * (with pending reasons), sacct for the accounting record, which outlives the controller's
 * memory. The controller wins where both answer. Either may be missing: without slurmdbd,
 * sacct answers nothing, and heartbeat files fill the gap (see liveness.ts).
 */
export function querySlurm(arrayJobIds: string[]): SlurmSnapshot {
  const tasks = new Map<string, TaskState>();
  if (arrayJobIds.length === 0) return { tasks, squeue: true, sacct: true };
  const ids = [...new Set(arrayJobIds)].join(',');
  const acct = slurmCommand('sacct', ['-n', '-P', '-X', '--format=JobID,State', '-j', ids]);
  const sacct = acct.ok && !/accounting storage is disabled/i.test(acct.stderr);
  if (sacct) for (const [task, state] of parseSacct(acct.stdout)) tasks.set(task, { state, reason: null, source: 'sacct' });
  const queue = slurmCommand('squeue', ['-h', '-r', '--states=all', '-o', '%i|%T|%r', '-j', ids]);
  // squeue fails when none of the ids is known to the controller any more: that is an answer too.
  const squeue = queue.ok || /invalid job id/i.test(queue.stderr);
  if (squeue) for (const [task, state] of parseSqueue(queue.stdout)) tasks.set(task, state);
  return { tasks, squeue, sacct };
}

/** `sacct -n -P -X --format=JobID,State`: "12_3|COMPLETED", "12_[4-9%2]|PENDING", "12_5|CANCELLED by 0". */
export function parseSacct(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const line of text.split('\n')) {
    const [id, state] = line.trim().split('|');
    if (!id || !state) continue;
    const word = state.split(' ')[0] as string;
    for (const task of expandTaskIds(id)) out.push([task, word]);
  }
  return out;
}

/** `squeue -h -r -o '%i|%T|%r'`: "12_3|PENDING|Dependency". */
export function parseSqueue(text: string): Array<[string, TaskState]> {
  const out: Array<[string, TaskState]> = [];
  for (const line of text.split('\n')) {
    const [id, state, reason] = line.trim().split('|');
    if (!id || !state) continue;
    const why = reason && reason !== 'None' ? reason : null;
    for (const task of expandTaskIds(id)) out.push([task, { state, reason: why, source: 'squeue' }]);
  }
  return out;
}

/**
 * Slurm prints pending array tasks compressed: "12_[0-3,7,9-13:2%4]". Expands to "12_0" ...;
 * a plain "12_3" or "12" comes back as is.
 */
export function expandTaskIds(id: string): string[] {
  const match = /^(\d+)_\[([^\]]+)\]$/.exec(id);
  if (!match) return [id];
  const [, job, spec] = match as unknown as [string, string, string];
  const out: string[] = [];
  for (const part of (spec.split('%')[0] as string).split(',')) {
    const range = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part);
    if (!range) continue;
    const start = Number(range[1]);
    const end = range[2] === undefined ? start : Number(range[2]);
    const step = range[3] === undefined ? 1 : Math.max(1, Number(range[3]));
    for (let i = start; i <= end; i += step) out.push(`${job}_${i}`);
  }
  return out;
}
