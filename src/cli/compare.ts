import type { CommandModule } from 'yargs';
import { openDatabase } from '../store/index.js';
import { loadReportData } from '../report/data/load-report-data.js';
import { compareConfigurations } from '../report/compare/compare.js';
import { formatComparison } from '../report/compare/format.js';
import { itemLevelComparison } from '../report/compare/item-pairs.js';
import { storeItemScores } from '../report/compare/item-scores.js';
import { UserError } from '../util/errors.js';
import { headlineComparisons } from '../report/compare/headline.js';
import { headlinesToMarkdown } from '../report/compare/headline-format.js';
import { collectedSweep } from './sweep-ref.js';
import { integerOption } from '../util/options.js';

interface CompareArgs {
  sweep: string;
  results: string;
  a?: string;
  b?: string;
  headline: boolean;
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
      .option('a', { type: 'string', describe: 'configuration(s) A: a label as the report prints it, words of labels (\'moe mlp soft\': every configuration with them), or a filter such as \'gate.type == "mlp" and routing.mode == "soft"\'' })
      .option('b', { type: 'string', describe: 'configuration B (same forms as --a)' })
      .option('headline', { type: 'boolean', default: false, describe: "the sweep's headline instead of --a/--b: MoE vs the best single expert (both chosen on the known sets) and gate vs gate-ablated, on the unknown and the known sets, paired on items" })
      .option('metric', { type: 'string', default: 'eer', describe: 'metric to compare (eer, auc, minDcf, ...)' })
      .option('iterations', integerOption('iterations', { min: 1, max: 1_000_000, default: 10000, describe: 'bootstrap replicates' }))
      .option('seed', integerOption('seed', { min: 0, max: 2 ** 32 - 1, default: 0, describe: 'seed of the bootstrap and of the sampled sign-flip test' }))
      .option('json', { type: 'boolean', default: false, describe: 'print the comparison as JSON' }) as never,
  handler: async (args) => {
    if (!Number.isInteger(args.iterations) || args.iterations < 1) throw new UserError(`--iterations ${String(args.iterations)}: expected a positive integer.`);
    if (!args.headline && (args.a === undefined || args.b === undefined)) {
      throw new UserError(`compare: give both --a and --b (the configurations to compare), or --headline for the sweep's headline comparisons.`);
    }
    if (args.headline && (args.a !== undefined || args.b !== undefined)) {
      throw new UserError('compare: --headline chooses its own sides; leave out --a and --b.');
    }
    const db = openDatabase(args.results, { mustExist: true });
    try {
      const data = loadReportData(db, collectedSweep(args.sweep, db, args.results));
      if (args.headline) {
        if (args.metric !== 'eer') throw new UserError(`compare --headline compares EER; --metric ${args.metric} is not supported with it.`);
        const headlines = await headlineComparisons(data, storeItemScores(db, args.results), { iterations: args.iterations, seed: args.seed });
        process.stdout.write(args.json ? JSON.stringify(headlines, null, 2) + '\n' : headlinesToMarkdown(headlines, data.sweep.name));
        return;
      }
      const comparison = compareConfigurations(data, args.a as string, args.b as string, { metric: args.metric, iterations: args.iterations, seed: args.seed });
      // Where the evaluations left per-item scores, pair on the items too.
      comparison.items = await itemLevelComparison(comparison, storeItemScores(db, args.results), { iterations: Math.min(args.iterations, 2000), seed: args.seed });
      process.stdout.write(args.json ? JSON.stringify(comparison, null, 2) + '\n' : formatComparison(comparison));
    } finally {
      db.close();
    }
  },
};
