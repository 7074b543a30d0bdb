import type { CommandModule } from 'yargs';
import { UserError } from '../util/errors.js';
import { openDatabase, isKeptMembership, listSweeps, sweepTrials } from '../store/index.js';
import { planOf } from './sweep-ref.js';
import { execute, runOptions, type RunArgs } from './run.js';

/** `ablate resume [<sweep>]`: continue a sweep from the store (no file needed). */
export const resumeCommand: CommandModule<object, RunArgs> = {
  command: 'resume [sweep]',
  describe: 'continue an interrupted sweep (by name or file; default: the most recent unfinished one)',
  builder: (y) => y.positional('sweep', { type: 'string', describe: 'sweep name or file' }).options(runOptions) as never,
  handler: async (args) => {
    if (args.trainer !== undefined) throw new UserError('resume continues a sweep with the trainer it was run with (the store keeps it): drop --trainer, and resume by the sweep\'s name.');
    const db = openDatabase(args.results, { mustExist: true });
    let ref = args.sweep;
    let resolved: ReturnType<typeof planOf>;
    try {
      if (!ref) ref = mostRecentUnfinished(db);
      resolved = planOf(ref, db);
    } finally {
      db.close();
    }
    await execute(resolved.plan, resolved.spec, args);
  },
};

function mostRecentUnfinished(db: ReturnType<typeof openDatabase>): string {
  const sweeps = listSweeps(db);
  for (const sweep of sweeps) {
    if (isKeptMembership(sweep.name)) continue;
    if (sweepTrials(db, sweep.name).some((t) => t.state !== 'done')) {
      process.stdout.write(`Resuming ${sweep.name} (the most recent unfinished sweep).\n`);
      return sweep.name;
    }
  }
  throw new UserError(
    sweeps.length === 0 ? 'nothing to resume: this results store has no sweeps.' : `nothing to resume: every sweep in this store is done (${sweeps.map((s) => s.name).join(', ')}).`,
    { exitCode: 0 },
  );
}
