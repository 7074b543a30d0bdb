import type { CommandModule } from 'yargs';
import { writeFileSync } from 'node:fs';
import { toCsv as csvText } from '../util/csv.js';
import { openDatabase } from '../store/index.js';
import { metricOrder, resultRows } from '../report/results-table.js';
import { collectedSweep } from './sweep-ref.js';

interface ExportArgs {
  sweep: string;
  results: string;
  format: 'csv' | 'json';
  out?: string;
}

/** `ablate export <sweep>`: the results as a table, one row per (trial, evaluation set). */
export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <sweep>',
  describe: 'print the results: one row per (trial, evaluation set) with the varying parameters and every metric',
  builder: (y) =>
    y
      .positional('sweep', { type: 'string', demandOption: true, describe: 'sweep name or file' })
      .option('format', { choices: ['csv', 'json'] as const, default: 'csv' as const })
      .option('out', { type: 'string', describe: 'write to this file instead of stdout' }) as never,
  handler: (args) => {
    const db = openDatabase(args.results, { mustExist: true });
    try {
      const sweep = collectedSweep(args.sweep, db, args.results);
      const rows = resultRows(db, sweep);
      const text = args.format === 'json' ? JSON.stringify(rows, null, 2) + '\n' : toCsv(rows);
      if (args.out) writeFileSync(args.out, text);
      else process.stdout.write(text);
    } finally {
      db.close();
    }
  },
};

function toCsv(rows: ReturnType<typeof resultRows>): string {
  // `kind` has its own column.
  const params = [...new Set(rows.flatMap((r) => Object.keys(r.params)))].filter((p) => p !== 'kind');
  const metrics = metricOrder(rows);
  const header = ['trial', 'kind', 'state', ...params, 'dataset', 'group', ...metrics];
  const body = rows.map((r) => [
    r.trial,
    r.kind,
    r.state,
    ...params.map((p) => {
      const value = r.params[p];
      return value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    }),
    r.dataset,
    r.group,
    ...metrics.map((m) => (r.metrics[m] === undefined || r.metrics[m] === null ? '' : String(r.metrics[m]))),
  ]);
  return csvText([header, ...body]);
}
