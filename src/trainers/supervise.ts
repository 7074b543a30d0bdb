import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { EventTail, MalformedEvent, type TrainerEvent } from './events.js';
import { writeFileAtomicallySync } from '../util/atomic.js';

export interface SuperviseOptions {
  command: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  eventsFile: string;
  /** Records the process group so a later attempt can end one a killed ablate left behind (killLeftover). */
  pidFile: string;
  timeoutMs: number | null;
  heartbeatMs: number;
  graceMs: number;
  stopRequested: () => boolean;
  onEvent: (event: TrainerEvent) => void;
}

/** How an attempt's program ended: each fault is its own case, so each gets its own message. */
export type Ending =
  | { kind: 'exited'; code: number }
  | { kind: 'signalled'; signal: string }
  | { kind: 'not-started'; reason: string }
  | { kind: 'stopped' }
  | { kind: 'timeout'; seconds: number }
  | { kind: 'heartbeat'; seconds: number }
  | { kind: 'malformed'; error: MalformedEvent };

/**
 * Runs a trainer to its end: its own process group (so SIGTERM/SIGKILL reach whatever it
 * started too), standard output and error appended to the log file, the event stream read
 * as it grows. Stops it (SIGTERM, SIGKILL after the grace period) when ablate is asked to
 * stop, when it passes its timeout, goes silent past the heartbeat limit or writes a line
 * that is not an event.
 */
export async function supervise(options: SuperviseOptions): Promise<Ending> {
  const tail = new EventTail(options.eventsFile);
  const log = openSync(options.logFile, 'a');
  let child;
  try {
    child = spawn(options.command[0] as string, options.command.slice(1), {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', log, log],
      detached: true,
    });
  } catch (error) {
    closeSync(log);
    return { kind: 'not-started', reason: (error as Error).message };
  }
  closeSync(log);
  const started = Date.now();
  let lastBeat = started;
  let verdict: Ending | null = null;
  let killTimer: NodeJS.Timeout | null = null;
  if (child.pid !== undefined) writeFileAtomicallySync(options.pidFile, `${child.pid}\n`);

  const terminate = (why: Ending) => {
    if (verdict) return;
    verdict = why;
    signalGroup(child.pid, 'SIGTERM');
    killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), options.graceMs);
  };
  const drain = (read: () => TrainerEvent[]) => {
    try {
      const events = read();
      if (events.length > 0) lastBeat = Date.now();
      for (const event of events) options.onEvent(event);
    } catch (error) {
      if (error instanceof MalformedEvent) terminate({ kind: 'malformed', error });
      else throw error;
    }
  };
  // Checked often enough for a stop request to feel immediate and a limit to be exact to ~1/4.
  const every = Math.max(20, Math.min(250, options.heartbeatMs / 4, options.timeoutMs === null ? 250 : options.timeoutMs / 4));
  const watch = setInterval(() => {
    drain(() => tail.read());
    const now = Date.now();
    if (options.stopRequested()) terminate({ kind: 'stopped' });
    else if (options.timeoutMs !== null && now - started > options.timeoutMs) terminate({ kind: 'timeout', seconds: options.timeoutMs / 1000 });
    else if (now - lastBeat > options.heartbeatMs) terminate({ kind: 'heartbeat', seconds: options.heartbeatMs / 1000 });
  }, every);

  const ended = await new Promise<Ending>((resolve) => {
    child.once('error', (error) => resolve({ kind: 'not-started', reason: error.message }));
    child.once('exit', (code, signal) => resolve(code !== null ? { kind: 'exited', code } : { kind: 'signalled', signal: signal ?? 'unknown' }));
  });
  clearInterval(watch);
  if (killTimer) clearTimeout(killTimer);
  // Whatever the trainer started and left behind goes with it.
  signalGroup(child.pid, 'SIGKILL');
  rmSync(options.pidFile, { force: true });
  if (verdict) return verdict;
  // A last line written without its newline still counts; the program is gone, so a bad one only sets the verdict.
  try {
    for (const event of tail.flush()) options.onEvent(event);
  } catch (error) {
    if (error instanceof MalformedEvent) return { kind: 'malformed', error };
    throw error;
  }
  return ended;
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * A trainer whose ablate was killed (kill -9, power cut on the head node but not here)
 * keeps running and writing into the job folder. Before a new attempt starts, end it: the
 * pid file names its group, and the owner mark in its environment proves it is this job's
 * trainer and not an unrelated process that reused the pid (Linux's /proc; elsewhere the
 * check is skipped and the leftover, if any, runs on).
 */
export function killLeftover(pidFile: string, ownerMark: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 1) return;
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return;
  }
  if (!environ.split('\0').includes(ownerMark)) return;
  signalGroup(pid, 'SIGKILL');
  const deadline = Date.now() + 5000;
  while (existsSync(`/proc/${pid}`) && Date.now() < deadline) {
    const stat = safeRead(`/proc/${pid}/stat`);
    // A zombie (state Z) is dead: it only waits for the parent ablate no longer is.
    if (stat === null || / Z /.test(stat)) break;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

function safeRead(path: string): string | null {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return null;
  }
}

/** The last lines of a log file (at most 8 KiB of it), for failure messages. */
export function lastLines(file: string, count = 15): string[] {
  const text = safeRead(file);
  if (text === null) return [];
  const lines = text.slice(-8192).split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-count);
}
