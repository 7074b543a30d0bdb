import type { CommandModule } from 'yargs';
import { join } from 'node:path';
import { openDatabase } from '../store/index.js';
import { reportFormats, type ReportFormat } from '../report/formats.js';
import { UserError } from '../util/errors.js';
import { assertWritableFolder } from '../util/writable.js';
import { collectedSweep } from './sweep-ref.js';
import { sweepNamePattern } from '../config/schema/sweep.js';

interface ReportArgs {
  sweep: string;
  results: string;
  out?: string;
  format: string;
  interaction?: string;
}

/** `ablate report <sweep>`: figures, tables and index.html from whatever has finished. */
export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <sweep>',
  describe: 'write figures (Vega-Lite, SVG, PNG), paper tables (Markdown, LaTeX, CSV) and a self-contained index.html',
  builder: (y) =>
    y
      .positional('sweep', { type: 'string', demandOption: true, describe: 'sweep name or file' })
      .option('out', { type: 'string', describe: 'output folder (default: <results>/<sweep>/report)' })
      .option('format', { type: 'string', default: reportFormats.join(','), describe: 'comma-separated: svg, png, html (specs and tables are always written)' })
      .option('interaction', { type: 'string', describe: 'two swept factors for an interaction plot, e.g. gate.type,routing.mode' }) as never,
  handler: async (args) => {
    const formats = parseFormats(args.format);
    const interaction = args.interaction === undefined ? undefined : parseInteraction(args.interaction);
    const db = openDatabase(args.results, { mustExist: true });
    try {
      const sweep = collectedSweep(args.sweep, db, args.results);
      // Stores written before names were restricted may hold one like '..': never a path then.
      if (args.out === undefined && !new RegExp(sweepNamePattern).test(sweep)) {
        throw new UserError(`sweep ${JSON.stringify(sweep)}: its name is not a safe folder name, so there is no default report folder; give one with --out.`);
      }
      const out = args.out ?? join(args.results, sweep, 'report');
      assertWritableFolder(out, '--out');
      // Vega and resvg load only when a report is written, so other commands start fast.
      const { writeReport } = await import('../report/build-report.js');
      const summary = await writeReport(db, sweep, { out, formats, results: args.results, ...(interaction ? { interaction } : {}) });
      process.stdout.write(
        `${sweep}: ${summary.progress.done} of ${summary.progress.total} trials done; wrote ${summary.figures.length} figure(s), ` +
          `${summary.tables.length} table file(s)${summary.page ? ' and index.html' : ''} under ${out}\n`,
      );
      if (summary.page) process.stdout.write(`open ${join(out, summary.page)}\n`);
    } finally {
      db.close();
    }
  },
};

function parseFormats(text: string): ReportFormat[] {
  const formats = text.split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = formats.filter((f) => !(reportFormats as readonly string[]).includes(f));
  if (unknown.length > 0 || formats.length === 0) {
    throw new UserError(`--format ${JSON.stringify(text)}: expected a comma-separated list of ${reportFormats.join(', ')} (got ${unknown.join(', ') || 'nothing'}).`);
  }
  return formats as ReportFormat[];
}

function parseInteraction(text: string): [string, string] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new UserError(`--interaction ${JSON.stringify(text)}: expected two swept factors separated by a comma, e.g. --interaction gate.type,routing.mode.`);
  }
  return [parts[0], parts[1]];
}
