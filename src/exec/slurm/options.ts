import { UserError } from '../../util/errors.js';
import { integerOption } from '../../util/options.js';

export type Executor = 'local' | 'slurm';

/** The options `ablate run` and `ablate resume` take for `--executor slurm`. */
export interface SlurmCliArgs {
  executor?: Executor;
  partition?: string;
  'gpus-per-task'?: number;
  time?: string;
  'max-parallel'?: number;
  'sbatch-arg'?: string[];
  'dry-run'?: boolean;
  heartbeat?: number;
}

export const slurmRunOptions = {
  executor: { choices: ['local', 'slurm'] as const, default: 'local' as const, describe: 'local: a pool of worker threads here; slurm: submit job arrays with sbatch and exit' },
  partition: { type: 'string', describe: '[slurm] partition to submit to' },
  'gpus-per-task': integerOption('gpus-per-task', { min: 0, max: 1024, describe: '[slurm] GPUs per array task (one job each)' }),
  time: { type: 'string', describe: '[slurm] time limit per task, in Slurm\'s format (90, 4:00:00, 1-12:00:00)' },
  'max-parallel': integerOption('max-parallel', { min: 1, unit: 'tasks', describe: '[slurm] at most K tasks of each array at once (--array=0-N%K)' }),
  'sbatch-arg': { type: 'string', array: true, describe: '[slurm] extra sbatch option, repeatable: --sbatch-arg=--mem=16G' },
  'dry-run': { type: 'boolean', default: false, describe: '[slurm] print the sbatch scripts instead of submitting' },
  heartbeat: integerOption('heartbeat', { min: 1, max: 86_400, unit: 'seconds', default: 30, describe: '[slurm] seconds between a worker\'s heartbeat files' }),
} as const;

export interface SlurmSettings {
  partition: string | null;
  gpusPerTask: number | null;
  time: string | null;
  /** Seconds of the time limit, when one is given. */
  timeSeconds: number | null;
  maxParallel: number | null;
  sbatchArgs: string[];
  dryRun: boolean;
  heartbeatSeconds: number;
}

/** Check the Slurm options; each problem names the option and the form it expects. */
export function slurmSettings(args: SlurmCliArgs): SlurmSettings {
  const partition = args.partition ?? null;
  if (partition !== null && !/^[A-Za-z0-9_.,-]+$/.test(partition)) throw new UserError(`--partition ${partition}: expected a partition name (letters, digits, _ . -; several separated by commas).`);
  const gpus = args['gpus-per-task'];
  if (gpus !== undefined && (!Number.isInteger(gpus) || gpus < 0)) throw new UserError(`--gpus-per-task ${gpus}: expected a whole number of GPUs (0 for none).`);
  const maxParallel = args['max-parallel'];
  if (maxParallel !== undefined && (!Number.isInteger(maxParallel) || maxParallel < 1)) throw new UserError(`--max-parallel ${maxParallel}: expected a whole number of tasks, at least 1.`);
  const heartbeat = args.heartbeat ?? 30;
  if (!Number.isFinite(heartbeat) || heartbeat < 1) throw new UserError(`--heartbeat ${heartbeat}: expected seconds between heartbeats, at least 1.`);
  const time = args.time ?? null;
  const timeSeconds = time === null ? null : parseSlurmTime(time);
  const sbatchArgs = (args['sbatch-arg'] ?? []).map(String);
  for (const arg of sbatchArgs) {
    if (!/^--?[A-Za-z]/.test(arg) || /[\n\r]/.test(arg)) {
      throw new UserError(`--sbatch-arg ${JSON.stringify(arg)}: expected one sbatch option such as --mem=16G or --account=proj (write it as --sbatch-arg=--mem=16G).`);
    }
  }
  return { partition, gpusPerTask: gpus && gpus > 0 ? gpus : null, time, timeSeconds, maxParallel: maxParallel ?? null, sbatchArgs, dryRun: args['dry-run'] ?? false, heartbeatSeconds: heartbeat };
}

/** Slurm options given without `--executor slurm` would be ignored silently: say so instead. */
export function rejectSlurmOnlyOptions(args: SlurmCliArgs): void {
  const given = (['partition', 'gpus-per-task', 'time', 'max-parallel', 'sbatch-arg'] as const).filter((name) => args[name] !== undefined);
  if (args['dry-run']) given.push('dry-run' as never);
  if (given.length > 0) throw new UserError(`${given.map((g) => `--${g}`).join(', ')} only apply with --executor slurm; add --executor slurm or leave them out.`);
}

/**
 * Slurm's time formats: minutes, minutes:seconds, hours:minutes:seconds, days-hours,
 * days-hours:minutes, days-hours:minutes:seconds. Returns seconds (null for unlimited).
 */
export function parseSlurmTime(text: string): number | null {
  if (/^(unlimited|infinite)$/i.test(text)) return null;
  const withDays = /^(\d+)-(\d+)(?::(\d+))?(?::(\d+))?$/.exec(text);
  if (withDays) {
    const [, d, h, m, s] = withDays;
    return ((Number(d) * 24 + Number(h)) * 60 + Number(m ?? 0)) * 60 + Number(s ?? 0);
  }
  const parts = /^(\d+)(?::(\d+))?(?::(\d+))?$/.exec(text);
  if (parts) {
    const [, a, b, c] = parts;
    if (c !== undefined) return (Number(a) * 60 + Number(b)) * 60 + Number(c);
    if (b !== undefined) return Number(a) * 60 + Number(b);
    return Number(a) * 60;
  }
  throw new UserError(`--time ${text}: expected a Slurm time limit: minutes (90), hours:minutes:seconds (4:00:00) or days-hours[:minutes[:seconds]] (1-12:00:00).`);
}

/**
 * How long before the time limit Slurm sends SIGUSR1 (the worker checkpoints and requeues):
 * a tenth of the limit, between 15 seconds and 5 minutes; 2 minutes without a limit given
 * (the partition's default limit may still apply).
 */
export function warningSeconds(settings: Pick<SlurmSettings, 'timeSeconds'>): number {
  if (settings.timeSeconds === null) return 120;
  return Math.round(Math.min(300, Math.max(15, settings.timeSeconds / 10)));
}
