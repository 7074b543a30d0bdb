import type { CommandModule } from 'yargs';
import { availableParallelism } from 'node:os';
import { expandSweep, planSweep } from '../search/index.js';
import { TRAINER_SHORTHANDS, type TrainerShorthand, setPytorchTrainerDefaults, withTrainer } from '../trainers/pytorch.js';
import { loadSweep } from '../search/load-sweep.js';
import { runSweep } from '../exec/run-sweep.js';
import { chooseReporter } from '../exec/reporters.js';
import { defaultWorkers } from '../exec/pool.js';
import { backendChoices, type BackendChoice } from '../protocol/job-protocol.js';
import { exitCodeFor } from '../exec/signals.js';
import type { Plan } from '../search/index.js';
import { integerOption } from '../util/options.js';
import { memoryPreflight } from './memory-check.js';
import { checkJobsPerGpu, needsGpu, resolveGpuOption } from '../exec/gpus.js';
import { UserError } from '../util/errors.js';
import { rejectSlurmOnlyOptions, slurmRunOptions, slurmSettings, submitSweep, type SlurmCliArgs } from '../exec/slurm/index.js';

export interface RunArgs extends SlurmCliArgs {
  sweep?: string;
  results: string;
  workers?: number;
  backend: BackendChoice;
  'max-attempts': number;
  quiet: boolean;
  gpus?: string;
  'jobs-per-gpu'?: number;
  trainer?: TrainerShorthand;
  'memory-check': boolean;
}

export const runOptions = {
  workers: integerOption('workers', { min: 1, max: 1024, describe: `worker threads (default: one per core on CPU backends, ${availableParallelism()} here; one on a native TensorFlow backend)` }),
  backend: { choices: backendChoices, default: 'auto', describe: 'TensorFlow.js backend: auto takes the fastest that loads (tensorflow-gpu, tensorflow, wasm, cpu)' },
  'max-attempts': integerOption('max-attempts', { min: 1, max: 1000, default: 2, describe: 'attempts per job before it fails for good (in this run)' }),
  quiet: { type: 'boolean', default: false, describe: 'print only the final summary' },
  gpus: { type: 'string', describe: 'bind command-trainer jobs to these GPUs through CUDA_VISIBLE_DEVICES: all (from nvidia-smi) or a list like 0,1,3' },
  'jobs-per-gpu': { type: 'number', describe: 'command-trainer jobs sharing one GPU at a time (default 1)' },
  trainer: { choices: TRAINER_SHORTHANDS, describe: 'train every trial with this trainer: pytorch = trainers/pytorch with $ABLATE_PYTHON (default python3)' },
  'memory-check': { type: 'boolean', default: true, describe: "refuse to start when a training job's estimated peak memory exceeds what the backend holds (--no-memory-check: warn and run)" },
  // --executor slurm and its options (src/exec/slurm/options.ts).
  ...slurmRunOptions,
} as const;

/** `ablate run <sweep>`: run every job of the sweep that is not done yet. */
export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <sweep>',
  describe: 'run a sweep; rerunning it (or `ablate resume`) runs only what is missing',
  builder: (y) => y.positional('sweep', { type: 'string', demandOption: true, describe: 'sweep file (JSON)' }).options(runOptions) as never,
  handler: async (args) => {
    let loaded = loadSweep(args.sweep as string);
    if (args.trainer !== undefined) loaded = withTrainer(loaded, args.trainer);
    await execute(planSweep(expandSweep(loaded)), loaded.sweep, args);
  },
};

export async function execute(plan: Plan, spec: unknown, args: RunArgs): Promise<void> {
  // Defaults of ${ABLATE_PYTHON} and ${ABLATE_PYTORCH_TRAINER}, which `--trainer pytorch` trials name (resume too).
  setPytorchTrainerDefaults();
  await memoryPreflight(plan, args.backend, args.results, args['memory-check']);
  // --executor slurm submits job arrays and returns (src/exec/slurm); resume shares this path.
  if (args.executor === 'slurm') {
    submitSweep({ plan, spec, resultsDir: args.results, backend: args.backend, maxAttempts: args['max-attempts'], settings: slurmSettings(args), gpusPerTask: slurmGpusPerTask(args) });
    return;
  }
  rejectSlurmOnlyOptions(args);
  const jobsPerGpu = checkJobsPerGpu(args['jobs-per-gpu']);
  if (args['jobs-per-gpu'] !== undefined && args.gpus === undefined) throw new UserError('--jobs-per-gpu needs --gpus (all, or a list like 0,1).');
  if (args.gpus !== undefined && ![...plan.jobs.values()].some(needsGpu)) {
    process.stderr.write('note: --gpus binds command-trainer jobs only, and this sweep has none (the built-in trainer chooses its TensorFlow.js device itself; see `ablate doctor`).\n');
  }
  const outcome = await runSweep({
    plan,
    spec,
    resultsDir: args.results,
    workers: args.workers ?? defaultWorkers(args.backend),
    backend: args.backend,
    maxAttempts: args['max-attempts'],
    reporter: chooseReporter({ quiet: args.quiet }),
    gpus: args.gpus === undefined ? null : { devices: resolveGpuOption(args.gpus), jobsPerGpu },
  });
  const { summary } = outcome;
  if (summary.interrupted) {
    process.stderr.write(
      `Interrupted: ${summary.trialsDone}/${summary.trialsTotal} trials done; running jobs stopped and resume from their last epoch's checkpoint. ` +
        `Resume with \`ablate resume ${summary.sweep}${args.results !== 'results' ? ` --results ${args.results}` : ''}\` (or rerun the same command).\n`,
    );
    process.exitCode = exitCodeFor(outcome.signal);
    return;
  }
  if (summary.failures.length > 0) process.exitCode = 1;
}

/**
 * GPUs per Slurm task for command-trainer jobs, from the same options as a local run: a
 * job is bound to one GPU locally, so each task asks for one (Slurm picks which; the
 * listed devices are a node's local names). --jobs-per-gpu cannot split a GPU in Slurm's
 * terms. Null: no GPU asked.
 */
function slurmGpusPerTask(args: RunArgs): number | null {
  if (args.gpus === undefined) return null;
  checkJobsPerGpu(args['jobs-per-gpu']);
  if (args.gpus.trim() !== 'all') resolveGpuOption(args.gpus);
  return 1;
}
