import { metricHeading, type PaperTable } from './paper-table.js';

/** The table as GitHub-flavoured Markdown: best values in bold, empty cells as an en dash. */
export function tableToMarkdown(table: PaperTable): string {
  const header = ['Configuration', ...table.columns.map((c) => `${c.heading} ${metricHeading(c.metric)}`)];
  const lines = [
    `**${table.title}.** ${table.note}`,
    '',
    `| ${header.map(escapeCell).join(' | ')} |`,
    `| :-- | ${table.columns.map(() => '--:').join(' | ')} |`,
  ];
  table.rows.forEach((row, r) => {
    const cells = row.cells.map((cell, c) => {
      if (!cell) return '–';
      const mean = cell.mean.toFixed(table.decimals);
      const shown = table.best[c]?.has(r) ? `**${mean}**` : mean;
      return cell.n > 1 ? `${shown} ± ${cell.sd.toFixed(table.decimals)}` : shown;
    });
    lines.push(`| ${[escapeCell(row.label), ...cells].join(' | ')} |`);
  });
  return lines.join('\n') + '\n';
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
