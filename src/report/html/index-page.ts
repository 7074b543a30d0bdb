import type { ReportData } from '../data/types.js';
import { progressNote } from '../figures/figure.js';
import type { PaperTable } from '../tables/paper-table.js';
import { tableToHtml } from '../tables/html-table.js';
import { escapeHtml } from './escape.js';
import { skippedLines } from '../../protocol/skipped-files.js';

export interface PageFigure {
  name: string;
  title: string;
  caption: string;
  svg: string;
  /** Files next to the page, relative to it (spec, SVG, PNG). */
  files: string[];
}

export interface PageInput {
  data: ReportData;
  figures: PageFigure[];
  table: PaperTable;
  tableFiles: string[];
  generatedAt: string;
  /** The headline comparisons (HTML), shown first. */
  headline?: string;
  /** More tables under the results (HTML): intervals per configuration, main effects. */
  statistics?: string[];
  /** Per-column breakdown tables (data.evaluate.breakdown), each shown under the results. */
  breakdowns?: Array<{ column: string; table: PaperTable }>;
}

/**
 * index.html: one self-contained page (no scripts, no network): the sweep's description,
 * status and backends, the results table and every figure, each SVG inlined as a data URI
 * so the ids inside one figure never clash with another's.
 */
export function indexPage(input: PageInput): string {
  const { data } = input;
  const note = progressNote(data);
  const status = data.status;
  const jobs = Object.entries(status.jobs)
    .map(([kind, c]) => `<tr><th scope="row">${escapeHtml(kind)}</th><td>${c.done}</td><td>${c.running}</td><td>${c.pending}</td><td>${c.failed}</td><td>${c.total}</td></tr>`)
    .join('\n');
  const backends = status.backends.length > 0 ? status.backends.map((b) => `${escapeHtml(b.backend)} (${b.attempts} attempt${b.attempts === 1 ? '' : 's'})`).join(', ') : 'none recorded yet';
  const failures =
    status.failures.length > 0
      ? `<h3>Failures</h3>\n<ul>${status.failures.map((f) => `<li><code>${escapeHtml(f.label)}</code> (${f.attempts} attempt(s), ${f.trials} trial(s)): ${escapeHtml(f.error)}</li>`).join('\n')}</ul>`
      : '';
  // Beside the sets they came from: results of a set that lost files rest on fewer items.
  const skipped =
    (status.skippedFiles ?? []).length > 0
      ? `<h3>Skipped files</h3>\n<p>Unusable audio files were left out (onBadFile: skip); these sets' results rest on fewer items.</p>\n<ul>${skippedLines(status.skippedFiles).map((line) => `<li>${escapeHtml(line)}</li>`).join('\n')}</ul>`
      : '';
  const figureHtml =
    input.figures.length > 0
      ? input.figures.map((f) => figureBlock(f, note)).join('\n')
      : `<p class="empty">No figures yet: ${escapeHtml(note)}. Figures appear once trials finish (ablate run / ablate resume), then run ablate report again.</p>`;
  const table =
    input.table.rows.length > 0 ? tableToHtml(input.table) : `<p class="empty">No results yet: ${escapeHtml(note)}.</p>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.sweep.name)}: ablate report</title>
<style>
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; margin: 2rem auto; max-width: 1400px; padding: 0 1.5rem; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; }
.progress { font-size: 1.1rem; font-weight: bold; }
.progress.partial { color: #a34a00; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #ddd; text-align: right; }
th[scope="row"], thead th:first-child { text-align: left; }
table.results thead th { border-bottom: 2px solid #444; text-align: center; }
table.results { font-size: 0.82rem; }
table.results th, table.results td { padding: 0.2rem 0.3rem; }
table.results td { white-space: nowrap; line-height: 1.2; }
table.results td small { color: #555; }
table.results th[scope="row"] { min-width: 9rem; max-width: 15rem; white-space: normal; }
.table-scroll { overflow-x: auto; }
figure { margin: 2rem 0; border-top: 1px solid #eee; padding-top: 1rem; }
figure img { max-width: 100%; height: auto; }
figcaption { color: #444; font-size: 0.92rem; max-width: 70rem; }
.files a { margin-right: 0.8rem; }
.empty { color: #a34a00; }
code { background: #f4f4f4; padding: 0 0.2rem; }
</style>
</head>
<body>
<h1>${escapeHtml(data.sweep.name)}</h1>
<p>${escapeHtml(data.sweep.description ?? 'No description.')}</p>
<p>Sweep file: <code>${escapeHtml(data.sweep.file)}</code> · report generated ${escapeHtml(input.generatedAt)}</p>
<p class="progress${data.progress.done < data.progress.total ? ' partial' : ''}">${escapeHtml(note)}</p>
${input.headline !== undefined ? `\n<h2 id="headline">Headline</h2>\n${input.headline}\n` : ''}
<h2>Status</h2>
<p>Trials: ${status.trials.done} done, ${status.trials.running} running, ${status.trials.pending} pending, ${status.trials.failed} failed (of ${status.trials.total}). Backend: ${backends}.</p>
<table class="status">
<thead><tr><th>Jobs</th><th>done</th><th>running</th><th>pending</th><th>failed</th><th>total</th></tr></thead>
<tbody>
${jobs}
</tbody>
</table>
${failures}
${skipped}

<h2>Results</h2>
<div class="table-scroll">
${table}
</div>
<p class="files">${escapeHtml(input.table.note)} Also as ${input.tableFiles.map((f) => `<a href="${escapeHtml(f)}">${escapeHtml(f)}</a>`).join(' ')}</p>
${(input.statistics ?? []).join('\n')}
${(input.breakdowns ?? []).map((b) => `<h3 id="breakdown-${escapeHtml(b.column)}">${escapeHtml(b.table.title)}</h3>\n<div class="table-scroll">\n${tableToHtml(b.table)}\n</div>\n<p class="files">${escapeHtml(b.table.note)}</p>`).join('\n')}

<h2>Figures</h2>
${figureHtml}
</body>
</html>
`;
}

function figureBlock(figure: PageFigure, note: string): string {
  const uri = `data:image/svg+xml;base64,${Buffer.from(figure.svg, 'utf8').toString('base64')}`;
  const links = figure.files.map((f) => `<a href="${escapeHtml(f)}">${escapeHtml(f.split('/').pop() ?? f)}</a>`).join(' ');
  return `<figure id="${escapeHtml(figure.name)}">
<h3>${escapeHtml(figure.title)}</h3>
<img src="${uri}" alt="${escapeHtml(figure.title)} (${escapeHtml(note)})">
<figcaption>${escapeHtml(figure.caption)} ${escapeHtml(note)}.<br><span class="files">${links}</span></figcaption>
</figure>`;
}
