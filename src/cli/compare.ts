import type { CommandModule } from 'yargs';
import { openDatabase } from '../store/index.js';
import { loadReportData } from '../report/data/load-report-data.js';
import { compareConfigurations } from '../report/compare/compare.js';
import { formatComparison } from '../report/compare/format.js';
import { itemLevelComparison } from '../report/compare/item-pairs.js';
import { storeItemScores } from '../report/compare/item-scores.js';
import { UserError } from '../util/errors.js';
import { collectedSweep } from './sweep-ref.js';
import { integerOption } from './options.js';

interface CompareArgs {
  sweep: string;
  results: string;
  a: string;
  b: string;
  metric: string;
  iterations: number;
  seed: number;
  json: boolean;
}

/** `ablate compare <sweep> --a <filter> --b <filter>`: pooled paired difference of two sets of configurations. */
export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <sweep>',
  describe:
    'paired comparison of two configurations, or of two sets of them (each paired with its partner that differs only in the compared factor), over seeds and evaluation sets: pooled difference, bootstrap interval, p-value, the pairs',
  builder: (y) =>
    y
      .positional('sweep', { type: 'string', demandOption: true, describe: 'sweep name or file' })
      .option('a', { type: 'string', demandOption: true, describe: 'configuration(s) A: a label as the report prints it, words of labels (\'moe mlp soft\': every configuration with them), or a filter such as \'gate.type == "mlp" and routing.mode == "soft"\'' })
      .option('b', { type: 'string', demandOption: true, describe: 'configuration B (same forms as --a)' })
      .option('metric', { type: 'string', default: 'eer', describe: 'metric to compare (eer, auc, minDcf, ...)' })
      .option('iterations', integerOption('iterations', { min: 1, max: 1_000_000, default: 10000, describe: 'bootstrap replicates' }))
      .option('seed', integerOption('seed', { min: 0, max: 2 ** 32 - 1, default: 0, describe: 'seed of the bootstrap and of the sampled sign-flip test' }))
      .option('json', { type: 'boolean', default: false, describe: 'print the comparison as JSON' }) as never,
  handler: async (args) => {
    if (!Number.isInteger(args.iterations) || args.iterations < 1) throw new UserError(`--iterations ${String(args.iterations)}: expected a positive integer.`);
    const db = openDatabase(args.results, { mustExist: true });
    try {
      const data = loadReportData(db, collectedSweep(args.sweep, db, args.results));
      const comparison = compareConfigurations(data, args.a, args.b, { metric: args.metric, iterations: args.iterations, seed: args.seed });
      // Where the evaluations left per-item scores, pair on the items too.
      comparison.items = await itemLevelComparison(comparison, storeItemScores(db, args.results), { iterations: Math.min(args.iterations, 2000), seed: args.seed });
      process.stdout.write(args.json ? JSON.stringify(comparison, null, 2) + '\n' : formatComparison(comparison));
    } finally {
      db.close();
    }
  },
};
