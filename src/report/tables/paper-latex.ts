import { aggregateSets } from '../data/types.js';
import { escapeLatex, headerRows } from './latex.js';
import { round, type PaperTable } from './paper-table.js';

const aggregateKeys = new Set<string>(aggregateSets.map((a) => a.key));
// Only group means are in this table, so the short labels cannot be taken for a set (and fit a column).
const shortLabels = new Map<string, string>(aggregateSets.map((a) => [a.key, a.label]));

/** The results table with only its Known / Unknown / All columns, best marks recomputed at `decimals`. */
export function aggregateColumns(table: PaperTable, decimals: number): PaperTable {
  const keep = table.columns.flatMap((c, i) => (aggregateKeys.has(c.dataset) ? [i] : []));
  const columns = keep.map((i) => {
    const column = table.columns[i] as PaperTable['columns'][number];
    return { ...column, heading: shortLabels.get(column.dataset) ?? column.heading };
  });
  const rows = table.rows.map((r) => ({ ...r, cells: keep.map((i) => r.cells[i] ?? null) }));
  const best = columns.map((column, c) => {
    const shown = rows.map((r) => (r.cells[c] ? round(r.cells[c].mean, decimals) : null));
    const candidates = shown.filter((v): v is number => v !== null);
    const target = column.better === 'min' ? Math.min(...candidates) : Math.max(...candidates);
    return new Set(shown.flatMap((v, i) => (v !== null && v === target ? [i] : [])));
  });
  return { ...table, columns, rows, best, decimals };
}

/**
 * The table a paper prints in one column: configurations as rows, EER and AUC on the known,
 * the unknown and all sets as columns (six numbers a row instead of the full table's 18 on
 * mile-grid), booktabs rules, no \resizebox (which shrinks the font below the caption's).
 * Means over seeds at one decimal: six means with their standard deviations do not fit a
 * column at a legible size (measured: 47 pt too wide at \footnotesize), so the caption
 * points to the full table for them; long labels wrap in their own column. The document around it is a two-column article, so compiling it shows
 * whether the table fits a column (pdflatex warns "Overfull \hbox" when it does not).
 */
export function tableToPaperLatex(full: PaperTable, label: string): string {
  const table = aggregateColumns(full, 1);
  const groups: Array<{ heading: string; span: number }> = [];
  for (const column of table.columns) {
    const last = groups.at(-1);
    if (last && last.heading === column.heading) last.span++;
    else groups.push({ heading: column.heading, span: 1 });
  }
  const lines: string[] = [];
  lines.push('\\documentclass[twocolumn]{article}');
  lines.push('\\usepackage{booktabs}');
  lines.push('\\usepackage{array}');
  lines.push('\\begin{document}');
  lines.push('% --- table: paste from here into a paper that loads booktabs and array ---');
  lines.push('\\begin{table}[t]');
  lines.push('\\centering');
  lines.push('\\small');
  lines.push('\\setlength{\\tabcolsep}{3pt}');
  lines.push(`\\caption{${escapeLatex(`${table.title}: EER and AUC (%) averaged over the known, the unknown and all evaluation sets; mean over seeds, best per column in bold (lowest EER, highest AUC); standard deviations and intervals in the full table. ${table.note.replace(/^.*?\. /, '')}`)}}`);
  lines.push(`\\label{tab:${label.replace(/[^A-Za-z0-9:-]/g, '-')}-paper}`);
  lines.push(`\\begin{tabular}{@{}>{\\raggedright\\arraybackslash}p{2.55cm}${'r'.repeat(table.columns.length)}@{}}`);
  lines.push('\\toprule');
  lines.push(...headerRows(groups, table));
  lines.push('\\midrule');
  table.rows.forEach((row, r) => {
    const previous = table.rows[r - 1];
    if (previous && previous.kind !== row.kind) lines.push('\\midrule');
    const cells = row.cells.map((cell, c) => {
      if (!cell) return '--';
      const mean = cell.mean.toFixed(table.decimals);
      const shown = table.best[c]?.has(r) ? `\\textbf{${mean}}` : mean;
      return shown;
    });
    // Labels may break after a slash ("resnet/logspec") as well as at spaces.
    lines.push(`${escapeLatex(row.label).replace(/\//g, '/\\allowbreak{}')} & ${cells.join(' & ')} \\\\`);
  });
  lines.push('\\bottomrule');
  lines.push('\\end{tabular}');
  lines.push('\\end{table}');
  lines.push('% --- end of table ---');
  lines.push('\\end{document}');
  return lines.join('\n') + '\n';
}
