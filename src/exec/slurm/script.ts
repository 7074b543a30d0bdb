import { UserError } from '../../util/errors.js';
import { shellQuote } from './command-line.js';
import { warningSeconds, type SlurmSettings } from './options.js';

export interface ScriptInput {
  sweep: string;
  submission: string;
  level: number;
  levels: number;
  /** "2/3" when the level is split over several arrays. */
  part?: string | null;
  /** Job keys by array index (shown in the script for people reading it). */
  jobs: Array<{ key: string; kind: string }>;
  manifest: string;
  logs: string;
  workingDir: string;
  /** "afterok:123:124_5", or a placeholder in a dry run; null for the first level. */
  dependency: string | null;
  settings: SlurmSettings;
  command: { node: string; args: string[] };
}

const listedJobs = 100;

/**
 * One sbatch script per dependency level: a job array with one task per job, each running
 * `ablate worker --manifest <file> --index $SLURM_ARRAY_TASK_ID`. `exec` makes the worker the
 * batch step's main process, so it receives the signals Slurm sends (SIGTERM on scancel or
 * preemption, SIGUSR1 before the time limit) and checkpoints.
 */
export function renderScript(input: ScriptInput): string {
  const { settings } = input;
  for (const [what, path] of [['manifest', input.manifest], ['log folder', input.logs], ['working folder', input.workingDir]] as const) {
    if (/\s/.test(path)) throw new UserError(`${path}: the ${what} path has whitespace, which #SBATCH lines cannot hold. Use a results folder (--results) and working folder without spaces.`);
  }
  const count = input.jobs.length;
  const kinds = [...new Set(input.jobs.map((j) => j.kind))].join(', ');
  const lines = [
    '#!/bin/bash',
    `# ablate sweep ${input.sweep}, submission ${input.submission}: level ${input.level} of ${input.levels}${input.part ? `, array ${input.part} of the level` : ''} (${count} job(s): ${kinds}).`,
    '# Each array task runs the job at its index of the manifest (array index -> job, with the trial configs):',
    `#   ${input.manifest}`,
    `#SBATCH --job-name=ablate-${input.sweep}-${input.level}`,
    `#SBATCH --array=0-${count - 1}${settings.maxParallel ? `%${settings.maxParallel}` : ''}`,
    '#SBATCH --ntasks=1',
    `#SBATCH --output=${input.logs}/%x-%A_%a.out`,
    '#SBATCH --open-mode=append',
    `#SBATCH --chdir=${input.workingDir}`,
    // Preempted tasks go back to the queue; before the time limit the worker gets SIGUSR1.
    '#SBATCH --requeue',
    `#SBATCH --signal=B:USR1@${warningSeconds(settings)}`,
  ];
  if (input.dependency) lines.push(`#SBATCH --dependency=${input.dependency}`, '#SBATCH --kill-on-invalid-dep=yes');
  if (settings.partition) lines.push(`#SBATCH --partition=${settings.partition}`);
  if (settings.gpusPerTask) lines.push(`#SBATCH --gpus-per-task=${settings.gpusPerTask}`);
  if (settings.time) lines.push(`#SBATCH --time=${settings.time}`);
  for (const arg of settings.sbatchArgs) lines.push(`#SBATCH ${arg}`);
  lines.push('#', '# index  job');
  input.jobs.slice(0, listedJobs).forEach((job, index) => lines.push(`#   ${String(index).padStart(4)}  ${job.key}`));
  if (count > listedJobs) lines.push(`#   ... ${count - listedJobs} more in the manifest`);
  const command = [...input.command.args, 'worker', '--manifest', input.manifest, '--index'].map(shellQuote).join(' ');
  // The node path is assigned single-quoted, never inside the double-quoted default of
  // ${ABLATE_NODE:-...}, where a `$(...)` or backquote in the path would run.
  lines.push('', `ablate_node=${shellQuote(input.command.node)}`, `exec "\${ABLATE_NODE:-$ablate_node}" ${command} "$SLURM_ARRAY_TASK_ID"`, '');
  return lines.join('\n');
}
