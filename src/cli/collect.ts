import type { CommandModule } from 'yargs';
import { collectAll, collectSweep, type CollectSummary } from '../exec/slurm/index.js';
import { openDatabase } from '../store/index.js';
import { UserError } from '../util/errors.js';
import { sweepNameOf } from './sweep-ref.js';

interface CollectArgs {
  sweep?: string;
  results: string;
  json: boolean;
}

/** `ablate collect [<sweep>]`: merge the result files Slurm workers wrote into the store. */
export const collectCommand: CommandModule<object, CollectArgs> = {
  command: 'collect [sweep]',
  describe: 'merge the result files of Slurm workers into the results store (idempotent: twice changes nothing)',
  builder: (y) =>
    y
      .positional('sweep', { type: 'string', describe: 'sweep name or file (default: every sweep with Slurm results)' })
      .option('json', { type: 'boolean', default: false, describe: 'print what was collected as JSON' }) as never,
  handler: (args) => {
    const db = openDatabase(args.results, { mustExist: true });
    let summaries: CollectSummary[];
    try {
      summaries = args.sweep ? [collectSweep(db, args.results, sweepNameOf(args.sweep, db))] : collectAll(db, args.results);
    } finally {
      db.close();
    }
    if (args.json) process.stdout.write(JSON.stringify(args.sweep ? summaries[0] : summaries, null, 2) + '\n');
    else if (summaries.length === 0) process.stdout.write(`No Slurm results under ${args.results}/slurm yet.\n`);
    else for (const s of summaries) process.stdout.write(formatCollect(s) + '\n');
    const problems = summaries.flatMap((s) => s.problems);
    if (problems.length > 0) {
      throw new UserError(`${problems.length} result file(s) could not be collected (the others were):\n  ${problems.join('\n  ')}`);
    }
  },
};

export function formatCollect(s: CollectSummary): string {
  const changed = s.added + s.updated + s.lost;
  if (changed === 0) return `${s.sweep}: ${s.files} result file(s), nothing new (already collected).`;
  return `${s.sweep}: ${s.files} result file(s); ${s.added} new attempt(s), ${s.updated} updated, ${s.results} result(s) stored, ${s.lost} lost.`;
}
