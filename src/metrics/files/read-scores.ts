import { UserError } from '../../util/errors.js';
import { at, findColumn, ID_COLUMNS, readTable, SCORE_COLUMNS, type Table } from './table.js';
import { moreFieldsThanHeader, parseScore } from './values.js';

export type ScoreFileFormat = 'asvspoof5' | 'asvspoof2021' | 'csv';

export interface ScoreFile {
  path: string;
  format: ScoreFileFormat;
  /** The layout as read, for the CLI's summary line. */
  description: string;
  ids: string[];
  scores: Float64Array;
  /** Line of each trial, for messages. */
  lines: Uint32Array;
}

/**
 * Read a score file in the layout its content shows:
 * - ASVspoof 5: tab-separated with the header `filename<TAB>cm-score` (more columns allowed);
 * - ASVspoof 2021 (and 2019 LA submissions): headerless `trial score`, whitespace-separated,
 *   exactly two columns as the 2021 eval package demands;
 * - CSV: a header naming the trial column (id, filename, trial, file, ...) and the score column
 *   (score, cm-score), e.g. SAFE's `id,pred,score`; a headerless two-column `id,score` also works.
 * A header with those names is accepted whatever the delimiter; a headerless file is read as
 * `trial score`. Every problem names the file and line. A trial scored twice is reported by
 * joinScoresAndKeys (which indexes trials anyway), not here.
 */
export function readScoreFile(path: string): ScoreFile {
  const table = readTable(path, 'score file');
  const first = table.first;
  const idColumn = findColumn(first.fields, ID_COLUMNS);
  const scoreColumn = findColumn(first.fields, SCORE_COLUMNS);
  const format: ScoreFileFormat = table.delimiter === 'tab' ? 'asvspoof5' : table.delimiter === 'comma' ? 'csv' : 'asvspoof2021';
  if (idColumn >= 0 && scoreColumn >= 0) {
    const header = first.fields;
    const description = `${format === 'asvspoof5' ? 'ASVspoof 5 TSV' : format === 'csv' ? 'CSV' : 'whitespace table'} with header (trial "${header[idColumn]}", score "${header[scoreColumn]}")`;
    return collect(table, true, { format, description, idColumn, scoreColumn, exactColumns: null, scoreName: `column "${header[scoreColumn]}"` });
  }
  if (idColumn < 0 && scoreColumn < 0) {
    const description = format === 'asvspoof2021' ? 'ASVspoof 2021 (trial score)' : `${format === 'csv' ? 'CSV' : 'TSV'} without header (trial, score)`;
    return collect(table, false, { format, description, idColumn: 0, scoreColumn: 1, exactColumns: 2, scoreName: 'column 2' });
  }
  throw new UserError(
    `${at(table, first)}: the header has no ${idColumn < 0 ? 'trial' : 'score'} column. Expected a header ` +
      'naming the trial and score columns (ASVspoof 5: "filename<TAB>cm-score"; CSV: e.g. "id,score") or headerless ' +
      `"<trial> <score>" lines (ASVspoof 2021); found "${first.fields.join(' ')}".`,
  );
}

interface Layout {
  format: ScoreFileFormat;
  description: string;
  idColumn: number;
  scoreColumn: number;
  /** Headerless files must have exactly this many columns (the 2021 package's check). */
  exactColumns: number | null;
  scoreName: string;
}

function collect(table: Table, skipHeader: boolean, layout: Layout): ScoreFile {
  const ids: string[] = [];
  const scores: number[] = [];
  const lines: number[] = [];
  const needed = Math.max(layout.idColumn, layout.scoreColumn) + 1;
  let header = skipHeader;
  let headerColumns: number | null = null;
  for (const row of table.rows()) {
    if (header) {
      header = false;
      headerColumns = row.fields.length;
      continue;
    }
    if (headerColumns !== null && row.fields.length > headerColumns) throw moreFieldsThanHeader(table, row, headerColumns);
    if (layout.exactColumns !== null && row.fields.length > layout.exactColumns) {
      throw new UserError(
        `${at(table, row)}: expected ${layout.exactColumns} columns "<trial> <score>", found ${row.fields.length} ("${row.fields.join(' ')}"). ` +
          'Check for extra columns or stray spaces.',
      );
    }
    if (row.fields.length < needed) {
      throw new UserError(
        `${at(table, row)}: the score is missing ("${row.fields.join(' ')}"); expected "<trial> <score>" with ${layout.scoreName} numeric.`,
      );
    }
    const id = row.fields[layout.idColumn] as string;
    if (id === '') throw new UserError(`${at(table, row)}: the trial name is empty.`);
    ids.push(id);
    scores.push(parseScore(row.fields[layout.scoreColumn], table, row, layout.scoreName));
    lines.push(row.line);
  }
  if (ids.length === 0) throw new UserError(`${table.path}: the score file has a header but no trials.`);
  return { path: table.path, format: layout.format, description: layout.description, ids, scores: Float64Array.from(scores), lines: Uint32Array.from(lines) };
}
