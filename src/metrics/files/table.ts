import { readFileSync } from 'node:fs';
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import { UserError } from '../../util/errors.js';

export type Delimiter = 'tab' | 'comma' | 'whitespace';

export interface TableRow {
  fields: string[];
  /** 1-based line number in the file, for messages. */
  line: number;
}

export interface Table {
  path: string;
  delimiter: Delimiter;
  /** The first non-empty row (a header or the first trial). */
  first: TableRow;
  /** Every non-empty row, the first included, produced on demand. */
  rows: () => Iterable<TableRow>;
}

/**
 * Read a score or key file as rows of fields, choosing the delimiter from its first non-empty
 * line: a tab means ASVspoof 5 TSV, a comma CSV, anything else whitespace-separated columns
 * (ASVspoof 2019/2021 protocols and score files). Empty lines are skipped.
 *
 * CSV goes through csv-parse (quoting rules). TSV and whitespace files are split by hand and
 * row by row: the ASVspoof formats have no quoting, and not materialising a million row
 * objects at once keeps million-line score files fast.
 */
export function readTable(path: string, what: string): Table {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UserError(`cannot read the ${what} ${path}: ${reason}. Check the path.`, { cause: error });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n');
  const firstLine = lines.find((line) => line.trim() !== '');
  if (firstLine === undefined) throw new UserError(`the ${what} ${path} is empty; expected one trial per line.`);
  const delimiter: Delimiter = firstLine.includes('\t') ? 'tab' : firstLine.includes(',') ? 'comma' : 'whitespace';
  if (delimiter === 'comma') {
    const rows = readCsvRows(text, path, what);
    return { path, delimiter, first: rows[0] as TableRow, rows: () => rows };
  }
  // Fields are not trimmed inside a tab row, as pandas' read_csv(sep='\t') in the eval package does not.
  const split = delimiter === 'tab' ? (line: string) => line.split('\t') : (line: string) => line.split(/\s+/);
  function* rows(): Generator<TableRow> {
    for (let i = 0; i < lines.length; i++) {
      const line = (lines[i] as string).trim();
      if (line !== '') yield { fields: split(line), line: i + 1 };
    }
  }
  const first = rows().next().value as TableRow;
  return { path, delimiter, first, rows };
}

function readCsvRows(text: string, path: string, what: string): TableRow[] {
  try {
    const records = parseCsv(text, { info: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown as Array<{
      record: string[];
      info: { lines: number };
    }>;
    if (records.length === 0) throw new UserError(`the ${what} ${path} is empty; expected one trial per line.`);
    return records.map(({ record, info }) => ({ fields: record, line: info.lines }));
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new UserError(`${path}${line ? ` line ${line}` : ''}: the ${what} is not valid CSV (${error.message}). Fix the quoting.`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** Where a field is, for messages: `file line N`. */
export function at(table: { path: string }, row: TableRow): string {
  return `${table.path} line ${row.line}`;
}

/** Index of the first header field (lower-cased) among `names`, or -1. */
export function findColumn(header: string[], names: readonly string[]): number {
  return header.findIndex((field) => names.includes(field.toLowerCase()));
}

/** Column names recognised in headers. */
export const ID_COLUMNS = ['filename', 'trial_anon', 'trial', 'id', 'utt', 'utterance', 'utt_id', 'file', 'name', 'path', 'audio'] as const;
export const SCORE_COLUMNS = ['cm-score', 'cm_score', 'score'] as const;
export const LABEL_COLUMNS = ['cm-label', 'cm_label', 'label', 'key', 'class', 'ground_truth'] as const;
export const SOURCE_COLUMNS = ['source', 'attack', 'attack_anon', 'attack_id', 'generator', 'system'] as const;
