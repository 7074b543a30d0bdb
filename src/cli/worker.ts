import type { CommandModule } from 'yargs';
import { runArrayTask } from '../exec/slurm/index.js';
import { UserError } from '../util/errors.js';
import { checkInteger, integerOption } from '../util/options.js';

interface WorkerArgs {
  manifest: string;
  index?: number;
}

/** `ablate worker --manifest <file> --index <i>`: what each Slurm array task runs. */
export const workerCommand: CommandModule<object, WorkerArgs> = {
  command: 'worker',
  describe: 'run one job of a Slurm manifest (each array task of `ablate run --executor slurm` calls this)',
  builder: (y) =>
    y
      .option('manifest', { type: 'string', demandOption: true, describe: 'a level-<n>.json manifest under results/slurm/<sweep>/submissions/' })
      .option('index', integerOption('index', { min: 0, describe: 'array index of the job to run (default: $SLURM_ARRAY_TASK_ID)' })) as never,
  handler: async (args) => {
    const fromEnv = process.env['SLURM_ARRAY_TASK_ID'] || undefined;
    const index = args.index ?? (fromEnv === undefined ? undefined : checkInteger('index (from $SLURM_ARRAY_TASK_ID)', fromEnv, { min: 0 }));
    if (index === undefined) {
      throw new UserError(`--index ${args.index ?? fromEnv ?? '(missing)'}: expected the array index of a job in ${args.manifest} (a whole number from 0); outside Slurm pass --index.`);
    }
    process.exitCode = await runArrayTask({ manifestFile: args.manifest, index });
  },
};
