import { mkdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type { Db } from '../store/index.js';
import { writeFileAtomicallySync } from '../util/atomic.js';
import { loadReportData } from './data/load-report-data.js';
import { loadGroupGating } from './data/item-gating.js';
import type { ReportData } from './data/types.js';
import { buildFigures, type FigureOptions } from './figures/all-figures.js';
import { indexPage, type PageFigure } from './html/index-page.js';
import { renderPngAsync } from './render/png.js';
import { renderSvg } from './render/svg.js';
import { tableToCsv } from './tables/csv.js';
import { tableToLatex } from './tables/latex.js';
import { tableToPaperLatex } from './tables/paper-latex.js';
import { tableToMarkdown } from './tables/markdown.js';
import { breakdownTable, paperTable } from './tables/paper-table.js';
import { expertTable } from './tables/expert-table.js';
import { reportFormats, type ReportFormat } from './formats.js';
import { stageReport } from './report-folder.js';
import { storeItemScores } from './compare/item-scores.js';
import { headlineComparisons } from './compare/headline.js';
import { headlinesToHtml, headlinesToMarkdown } from './compare/headline-format.js';
import { configurationIntervals } from './data/item-intervals.js';
import { intervalsTable, mainEffectsTable, textTableToHtml, textTableToMarkdown } from './tables/statistics-tables.js';

export { reportFormats, type ReportFormat };

export interface ReportOptions extends FigureOptions {
  /** Folder to write into (the CLI's default: <results>/<sweep>/report). */
  out: string;
  formats?: ReportFormat[];
  /** Stamp shown on the page (default: now); fixed in tests for reproducible pages. */
  generatedAt?: string;
  /** The results folder, where the per-item score and gate files are (default: the database's folder). */
  results?: string;
}

export interface ReportSummary {
  out: string;
  progress: ReportData['progress'];
  /** Files written, relative to `out`. */
  figures: Array<{ name: string; files: string[] }>;
  tables: string[];
  page: string | null;
}

/**
 * Build the whole report of a sweep: figures (Vega-Lite spec, SVG, PNG), the results table
 * (Markdown, LaTeX, CSV) and index.html. Whatever has finished is shown; a sweep with
 * nothing finished still gets its page with the "0 of N trials done" note.
 */
export async function writeReport(db: Db, sweep: string, options: ReportOptions): Promise<ReportSummary> {
  // Written into a fresh folder and renamed into place (src/report/report-folder.ts).
  const folder = stageReport(options.out);
  try {
    const summary = await writeReportFiles(db, sweep, { ...options, out: folder.staging });
    folder.publish();
    return { ...summary, out: options.out };
  } catch (error) {
    folder.discard();
    throw error;
  }
}

/**
 * Item scores resampled by each of the report's item-level statistics (intervals, main
 * effects): about 10 s each on one core (2026 figures, a shared 2-core machine). Beyond it they take fewer replicates (at least 200)
 * or fall back to intervals over seeds, which the tables mark.
 */
const resampleBudget = 2e8;

async function writeReportFiles(db: Db, sweep: string, options: ReportOptions): Promise<ReportSummary> {
  const formats = new Set(options.formats ?? reportFormats);
  const data = loadReportData(db, sweep);
  const results = options.results ?? dirname(db.name);
  data.groupGates = await loadGroupGating(db, results, data);
  // Intervals and the headline pair on items where the evaluations left per-item scores.
  const source = storeItemScores(db, results);
  const intervals = await configurationIntervals(data, source, { iterations: 1000, minIterations: 200, budget: resampleBudget });
  // The same with the seeds held: how much of each interval the evaluation clips account for.
  const clipIntervals = await configurationIntervals(data, source, { iterations: 1000, minIterations: 200, budget: resampleBudget, resampleSeeds: false });
  const headlines = await headlineComparisons(data, source);
  const figures = buildFigures(data, { ...options, intervals });
  const figureDir = join(options.out, 'figures');
  const tableDir = join(options.out, 'tables');
  mkdirSync(figureDir, { recursive: true });
  mkdirSync(tableDir, { recursive: true });
  const written: ReportSummary['figures'] = [];
  const pageFigures: PageFigure[] = [];
  // PNGs render on the thread pool while the main thread lays out the next figures; a
  // bounded number in flight keeps memory flat on sweeps with hundreds of figures.
  const pngs = new Set<Promise<void>>();
  const maxInFlight = Math.max(2, availableParallelism());
  let pngFailure: unknown;
  for (const figure of figures) {
    const files = [`figures/${figure.name}.vl.json`];
    writeFileSync(join(options.out, files[0] as string), JSON.stringify(figure.spec, null, 2) + '\n');
    const svg = await renderSvg(figure.spec);
    if (formats.has('svg')) {
      files.push(`figures/${figure.name}.svg`);
      writeFileSync(join(figureDir, `${figure.name}.svg`), svg);
    }
    if (formats.has('png')) {
      files.push(`figures/${figure.name}.png`);
      const png: Promise<void> = renderPngAsync(svg, figure.pngScale)
        .then((buffer) => writeFile(join(figureDir, `${figure.name}.png`), buffer))
        .catch((error: unknown) => {
          pngFailure ??= error;
        })
        .finally(() => pngs.delete(png));
      pngs.add(png);
      if (pngs.size >= maxInFlight) await Promise.race(pngs);
    }
    written.push({ name: figure.name, files });
    pageFigures.push({ name: figure.name, title: figure.title, caption: figure.caption, svg, files });
  }
  await Promise.all(pngs);
  if (pngFailure !== undefined) throw pngFailure;
  const table = paperTable(data);
  const intervalTable = intervalsTable(data, intervals, clipIntervals);
  const effectsTable = await mainEffectsTable(data, source, { budget: resampleBudget });
  const headlineMarkdown = headlinesToMarkdown(headlines, data.sweep.name);
  const tables = ['tables/results.md', 'tables/results.tex', 'tables/results-paper.tex', 'tables/results.csv', 'tables/headline.md', 'tables/intervals.md', 'tables/main-effects.md', 'tables/summary.md'];
  writeFileAtomicallySync(join(options.out, 'tables/headline.md'), headlineMarkdown);
  writeFileAtomicallySync(join(options.out, 'tables/intervals.md'), textTableToMarkdown(intervalTable));
  writeFileAtomicallySync(join(options.out, 'tables/main-effects.md'), textTableToMarkdown(effectsTable));
  // The report in Markdown, headline first: what a reader (or the closing note of an issue) needs.
  writeFileAtomicallySync(
    join(options.out, 'tables/summary.md'),
    [`# ${data.sweep.name}`, '', headlineMarkdown, textTableToMarkdown(intervalTable), textTableToMarkdown(effectsTable), tableToMarkdown(table)].join('\n'),
  );
  writeFileAtomicallySync(join(options.out, 'tables/results.md'), tableToMarkdown(table));
  writeFileAtomicallySync(join(options.out, 'tables/results.tex'), tableToLatex(table, data.sweep.name));
  // The layout a paper prints in one column: Known / Unknown / All only.
  writeFileAtomicallySync(join(options.out, 'tables/results-paper.tex'), tableToPaperLatex(table, data.sweep.name));
  writeFileAtomicallySync(join(options.out, 'tables/results.csv'), tableToCsv(table));
  // The gate's contribution: each expert's own metrics inside its mixture.
  const experts = expertTable(data);
  if (experts) {
    tables.push('tables/experts.md', 'tables/experts.csv');
    writeFileAtomicallySync(join(options.out, 'tables/experts.md'), tableToMarkdown(experts));
    writeFileAtomicallySync(join(options.out, 'tables/experts.csv'), tableToCsv(experts));
  }
  // Per attack (or any column the sweep's data.evaluate.breakdown names): one table each.
  const breakdowns: Array<{ column: string; table: ReturnType<typeof breakdownTable> }> = [];
  for (const column of data.breakdowns?.keys() ?? []) {
    const breakdown = breakdownTable(data, column);
    breakdowns.push({ column, table: breakdown });
    const name = `tables/breakdown-${column}`;
    writeFileAtomicallySync(join(options.out, `${name}.md`), tableToMarkdown(breakdown));
    writeFileAtomicallySync(join(options.out, `${name}.csv`), tableToCsv(breakdown));
    tables.push(`${name}.md`, `${name}.csv`);
  }
  let page: string | null = null;
  if (formats.has('html')) {
    page = 'index.html';
    const html = indexPage({
      data,
      figures: pageFigures,
      table,
      tableFiles: tables,
      breakdowns,
      generatedAt: options.generatedAt ?? new Date().toISOString(),
      headline: headlinesToHtml(headlines),
      statistics: [textTableToHtml(intervalTable), textTableToHtml(effectsTable)],
    });
    writeFileAtomicallySync(join(options.out, page), html);
  }
  return { out: options.out, progress: data.progress, figures: written, tables, page };
}
