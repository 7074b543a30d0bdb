import { parse } from 'csv-parse/sync';
import type { DatasetContext } from './context.js';
import { readText, truncate } from './protocol.js';

export interface TableRow {
  values: Record<string, string>;
  /** 1-based line number where the record starts, for messages. */
  line: number;
}

export interface Table {
  columns: string[];
  rows: TableRow[];
}

export interface TableFormat {
  delimiter: string;
  /** false for formats that never quote (LJSpeech, Common Voice: transcripts hold stray quotes). */
  quoted: boolean;
  /** Column names when the file has no header row; else the first row names the columns. */
  columns?: readonly string[];
  required?: readonly string[];
}

interface Record_ {
  record: string[];
  info: { lines: number };
}

/**
 * A delimited file read with csv-parse. Every row must have as many fields as the header
 * (or `format.columns`); a row that does not is reported with its file and line.
 */
export function readTable(ctx: DatasetContext, file: string, format: TableFormat): Table {
  const text = readText(ctx, file);
  let records: Record_[];
  try {
    records = parse(text, {
      delimiter: format.delimiter,
      quote: format.quoted ? '"' : false,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as Record_[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw ctx.error(`malformed ${describeFormat(format)}: ${(error as Error).message}. Fix the line.`, line === undefined ? { file } : { file, line });
  }
  let columns: string[];
  let body = records;
  if (format.columns !== undefined) {
    columns = [...format.columns];
  } else {
    const header = records[0];
    if (header === undefined) throw ctx.error(`the file is empty; expected a header row naming the columns${requiredText(format)}.`, { file });
    columns = header.record.map((name) => name.trim());
    body = records.slice(1);
  }
  const missing = (format.required ?? []).filter((name) => !columns.includes(name));
  if (missing.length > 0) {
    throw ctx.error(`the header has no column ${missing.map((m) => `"${m}"`).join(', ')} (found ${columns.join(', ')}). Expected columns${requiredText(format)}.`, { file, line: 1 });
  }
  const rows: TableRow[] = [];
  for (const { record, info } of body) {
    const line = lineOf(record, info.lines);
    if (record.length !== columns.length) {
      const shown = truncate(record.join(format.delimiter));
      throw ctx.error(`expected ${columns.length} ${describeFormat(format)} columns (${columns.join(', ')}), found ${record.length}: "${shown}". Fix or remove the line.`, { file, line });
    }
    const values: Record<string, string> = {};
    columns.forEach((name, i) => (values[name] = record[i] ?? ''));
    rows.push({ values, line });
  }
  return { columns, rows };
}

/** csv-parse reports the line a record ends on; records here never span lines unless quoted. */
function lineOf(record: string[], endLine: number): number {
  const extraLines = record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
  return endLine - extraLines;
}

function describeFormat(format: TableFormat): string {
  if (format.delimiter === '\t') return 'tab-separated';
  if (format.delimiter === '|') return 'pipe-separated';
  if (format.delimiter === ',') return 'comma-separated';
  return `"${format.delimiter}"-separated`;
}

function requiredText(format: TableFormat): string {
  return format.required && format.required.length > 0 ? ` (at least ${format.required.join(', ')})` : '';
}
