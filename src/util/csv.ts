import { stringify } from 'csv-stringify/sync';

/**
 * CSV for spreadsheets. A cell that starts with =, +, -, @, a tab or a carriage return is a
 * formula to Excel, LibreOffice and Google Sheets, so a value from a sweep file (a dataset
 * root, an expert name) could run one when the export is opened. Such text cells get a
 * leading apostrophe, the guard OWASP recommends (https://owasp.org/www-community/attacks/CSV_Injection).
 * Plain numbers (-0.25, 1e-3) are left alone: a number literal is not a formula, and
 * quoting every negative metric would turn the numbers into text.
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return stringify(rows.map((row) => row.map((cell) => (typeof cell === 'string' ? guardFormula(cell) : cell))));
}

const numberLiteral = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function guardFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) && !numberLiteral.test(cell) ? `'${cell}` : cell;
}
