import { datasetSpans, metricHeading, type PaperTable } from './paper-table.js';
import { escapeHtml } from '../html/escape.js';

/** The table as an HTML fragment for index.html (same cells and bold marks as the other formats). */
export function tableToHtml(table: PaperTable): string {
  const spans = datasetSpans(table);
  const head1 = `<tr><th></th>${spans.map((s) => `<th colspan="${s.span}" class="group-${s.group}">${escapeHtml(s.heading)}</th>`).join('')}</tr>`;
  const head2 = `<tr><th>Configuration</th>${table.columns.map((c) => `<th>${escapeHtml(metricHeading(c.metric))}</th>`).join('')}</tr>`;
  const body = table.rows
    .map((row, r) => {
      const cells = row.cells.map((cell, c) => {
        if (!cell) return '<td>–</td>';
        const mean = cell.mean.toFixed(table.decimals);
        const shown = table.best[c]?.has(r) ? `<strong>${mean}</strong>` : mean;
        // The deviation on a line of its own keeps columns narrow: mile-grid's 20 fit 1400 px.
        const sd = cell.n > 1 ? `<br><small>± ${cell.sd.toFixed(table.decimals)}</small>` : '';
        return `<td title="95 % interval ${cell.lower.toFixed(table.decimals)}–${cell.upper.toFixed(table.decimals)}, ${cell.n} seed(s)">${shown}${sd}</td>`;
      });
      return `<tr class="kind-${escapeHtml(row.kind)}"><th scope="row">${escapeHtml(row.label)}</th>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table class="results">\n<thead>${head1}\n${head2}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}
