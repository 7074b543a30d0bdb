import type { CommandModule } from 'yargs';
import { availableParallelism } from 'node:os';
import { planFromFile } from '../search/index.js';
import { loadSweep } from '../search/load-sweep.js';
import { runSweep } from '../exec/run-sweep.js';
import { chooseReporter } from '../exec/reporters.js';
import { defaultWorkers } from '../exec/pool.js';
import { backendChoices, type BackendChoice } from '../exec/protocol.js';
import { exitCodeFor } from '../exec/signals.js';
import type { Plan } from '../search/index.js';
import { integerOption } from './options.js';
import { rejectSlurmOnlyOptions, slurmRunOptions, slurmSettings, submitSweep, type SlurmCliArgs } from '../exec/slurm/index.js';

export interface RunArgs extends SlurmCliArgs {
  sweep?: string;
  results: string;
  workers?: number;
  backend: BackendChoice;
  'max-attempts': number;
  quiet: boolean;
}

export const runOptions = {
  workers: integerOption('workers', { min: 1, max: 1024, describe: `worker threads (default: one per core on CPU backends, ${availableParallelism()} here; one on a native TensorFlow backend)` }),
  backend: { choices: backendChoices, default: 'auto', describe: 'TensorFlow.js backend: auto takes the fastest that loads (tensorflow-gpu, tensorflow, wasm, cpu)' },
  'max-attempts': integerOption('max-attempts', { min: 1, max: 1000, default: 2, describe: 'attempts per job before it fails for good (in this run)' }),
  quiet: { type: 'boolean', default: false, describe: 'print only the final summary' },
  // --executor slurm and its options (src/exec/slurm/options.ts).
  ...slurmRunOptions,
} as const;

/** `ablate run <sweep>`: run every job of the sweep that is not done yet. */
export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <sweep>',
  describe: 'run a sweep; rerunning it (or `ablate resume`) runs only what is missing',
  builder: (y) => y.positional('sweep', { type: 'string', demandOption: true, describe: 'sweep file (JSON)' }).options(runOptions) as never,
  handler: async (args) => {
    const plan = planFromFile(args.sweep as string);
    await execute(plan, loadSweep(args.sweep as string).sweep, args);
  },
};

export async function execute(plan: Plan, spec: unknown, args: RunArgs): Promise<void> {
  // --executor slurm submits job arrays and returns (src/exec/slurm); resume shares this path.
  if (args.executor === 'slurm') {
    submitSweep({ plan, spec, resultsDir: args.results, backend: args.backend, maxAttempts: args['max-attempts'], settings: slurmSettings(args) });
    return;
  }
  rejectSlurmOnlyOptions(args);
  const outcome = await runSweep({
    plan,
    spec,
    resultsDir: args.results,
    workers: args.workers ?? defaultWorkers(args.backend),
    backend: args.backend,
    maxAttempts: args['max-attempts'],
    reporter: chooseReporter({ quiet: args.quiet }),
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
