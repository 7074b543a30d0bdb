import { toCsv } from '../../util/csv.js';
import { metricHeading, type PaperTable } from './paper-table.js';

/** The table for spreadsheets: per column its mean, standard deviation and 95 % interval over seeds, unrounded. */
export function tableToCsv(table: PaperTable): string {
  const header = ['configuration', 'kind', 'seeds'];
  for (const c of table.columns) {
    const name = `${c.heading} ${metricHeading(c.metric)}`;
    header.push(`${name} mean`, `${name} sd`, `${name} lower95`, `${name} upper95`, `${name} best`);
  }
  const body = table.rows.map((row, r): Array<string | number> => [
    row.label,
    row.kind,
    row.seeds,
    ...row.cells.flatMap((cell, c): Array<string | number> => (cell ? [cell.mean, cell.sd, cell.lower, cell.upper, table.best[c]?.has(r) ? 1 : 0] : ['', '', '', '', ''])),
  ]);
  return toCsv([header, ...body]);
}
