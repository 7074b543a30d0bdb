import { spawnSync } from 'node:child_process';
import { UserError } from '../../util/errors.js';

export interface CommandOutcome {
  /** The command ran and exited 0. */
  ok: boolean;
  /** The command is not installed (not on PATH). */
  missing: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Run one of Slurm's client commands. They are the interface Slurm documents for scripts
 * (there is no maintained Node client for slurmctld's RPC), and each call is quick.
 */
export function slurmCommand(command: string, args: string[], timeoutMs = 30_000): CommandOutcome {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, missing, stdout: '', stderr: missing ? `${command}: not found on PATH` : result.error.message };
  }
  return { ok: result.status === 0, missing: false, stdout: result.stdout, stderr: result.stderr.trim() };
}

/** Submit a batch script; returns the (array) job id. */
export function sbatch(script: string): string {
  const outcome = slurmCommand('sbatch', ['--parsable', script]);
  if (outcome.missing) {
    throw new UserError('sbatch: not found on PATH. `--executor slurm` submits with Slurm\'s client commands: run it on a login node of the cluster (or preview with --dry-run).');
  }
  if (!outcome.ok) throw new UserError(`sbatch ${script} failed: ${outcome.stderr || outcome.stdout || 'no message'}. Check the #SBATCH lines (partition, --sbatch-arg values) in that script.`);
  // --parsable prints "<job id>[;<cluster>]".
  const id = outcome.stdout.trim().split(';')[0] ?? '';
  if (!/^\d+$/.test(id)) throw new UserError(`sbatch ${script}: expected a job id on its output, got "${outcome.stdout.trim()}".`);
  return id;
}

/** Cancel tasks ("<array>_<index>"); those already gone are ignored. */
export function scancel(ids: string[]): void {
  if (ids.length === 0) return;
  slurmCommand('scancel', ids);
}

/** Put a running job back in the queue (it restarts from its checkpoint). */
export function requeue(jobId: string): CommandOutcome {
  return slurmCommand('scontrol', ['requeue', jobId]);
}

/**
 * Slurm's MaxArraySize (array indexes run from 0 to MaxArraySize - 1): 1001 unless the
 * cluster sets it, which is also the answer where Slurm cannot be asked (a dry run elsewhere).
 */
export function maxArraySize(): number {
  const outcome = slurmCommand('scontrol', ['show', 'config']);
  const match = /^MaxArraySize\s*=\s*(\d+)/m.exec(outcome.stdout);
  const value = match ? Number(match[1]) : 1001;
  return value > 0 ? value : 1001;
}
