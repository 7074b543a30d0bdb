import { datasetSpans, metricHeading, type PaperTable } from './paper-table.js';

/**
 * The table as a LaTeX document that compiles as is (booktabs; article, geometry and
 * graphicx from every TeX distribution); the table environment between the marked lines
 * can be pasted into a paper that loads booktabs and graphicx.
 */
export function tableToLatex(table: PaperTable, label: string): string {
  const spans = datasetSpans(table);
  const alignment = `l${spans.map((s) => 'r'.repeat(s.span)).join('')}`;
  const lines: string[] = [];
  lines.push('\\documentclass{article}');
  lines.push('\\usepackage[T1]{fontenc}');
  lines.push('\\usepackage{booktabs}');
  lines.push('\\usepackage{graphicx}');
  lines.push('\\usepackage[landscape,margin=1.5cm]{geometry}');
  lines.push('\\begin{document}');
  lines.push('% --- table: paste from here into a paper that loads booktabs and graphicx ---');
  lines.push('\\begin{table}[t]');
  lines.push('\\centering');
  lines.push(`\\caption{${escapeLatex(`${table.title}. ${table.note}`)}}`);
  lines.push(`\\label{tab:${label.replace(/[^A-Za-z0-9:-]/g, '-')}}`);
  lines.push('\\resizebox{\\linewidth}{!}{%');
  lines.push(`\\begin{tabular}{${alignment}}`);
  lines.push('\\toprule');
  lines.push(...headerRows(spans, table));
  lines.push('\\midrule');
  table.rows.forEach((row, r) => {
    const previous = table.rows[r - 1];
    if (previous && previous.kind !== row.kind) lines.push('\\midrule');
    const cells = row.cells.map((cell, c) => {
      if (!cell) return '--';
      const mean = cell.mean.toFixed(table.decimals);
      const shown = table.best[c]?.has(r) ? `\\textbf{${mean}}` : mean;
      return cell.n > 1 ? `${shown}\\,{\\scriptsize$\\pm$${cell.sd.toFixed(table.decimals)}}` : shown;
    });
    lines.push(`${escapeLatex(row.label)} & ${cells.join(' & ')} \\\\`);
  });
  lines.push('\\bottomrule');
  lines.push('\\end{tabular}}');
  lines.push('\\end{table}');
  lines.push('% --- end of table ---');
  lines.push('\\end{document}');
  return lines.join('\n') + '\n';
}

const latexSpecials: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '%': '\\%',
  _: '\\_',
  '^': '\\textasciicircum{}',
  '~': '\\textasciitilde{}',
  '±': '$\\pm$',
};

export function escapeLatex(text: string): string {
  return text.replace(/[\\{}$&#%_^~±]/g, (c) => latexSpecials[c] as string);
}

/** The two header rows (column groups over their metrics, with a rule under each group) both LaTeX tables share. */
export function headerRows(spans: ReadonlyArray<{ heading: string; span: number }>, table: Pick<PaperTable, 'columns'>): string[] {
  const lines = [` & ${spans.map((s) => (s.span > 1 ? `\\multicolumn{${s.span}}{c}{${escapeLatex(s.heading)}}` : escapeLatex(s.heading))).join(' & ')} \\\\`];
  let column = 2;
  const rules: string[] = [];
  for (const span of spans) {
    if (span.span > 1) rules.push(`\\cmidrule(lr){${column}-${column + span.span - 1}}`);
    column += span.span;
  }
  if (rules.length > 0) lines.push(rules.join(' '));
  lines.push(`Configuration & ${table.columns.map((c) => metricHeading(c.metric)).join(' & ')} \\\\`);
  return lines;
}
