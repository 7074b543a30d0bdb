import { toCsv } from '../../util/csv.js';
import { metricHeading, type PaperTable } from './paper-table.js';

/**
 * The table for spreadsheets: per column its mean, standard deviation and 95 % interval over
 * seeds, at full useful precision.
 */
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
    ...row.cells.flatMap((cell, c): Array<string | number> =>
      cell ? [clean(cell.mean), clean(cell.sd), clean(cell.lower), clean(cell.upper), table.best[c]?.has(r) ? 1 : 0] : ['', '', '', '', ''],
    ),
  ]);
  return toCsv([header, ...body]);
}

/**
 * 12 significant digits: scaling to percent leaves binary noise in the last bits (0.05 x 100
 * prints as 5.000000000000001); no metric here is known to more than a few digits, and 12
 * keep every digit a seed mean can mean.
 */
export function clean(value: number): number {
  return Number(value.toPrecision(12));
}
