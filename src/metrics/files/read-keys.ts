import { UserError } from '../../util/errors.js';
import { at, findColumn, ID_COLUMNS, LABEL_COLUMNS, readTable, SOURCE_COLUMNS, type Table } from './table.js';
import { LABEL_SPELLINGS, moreFieldsThanHeader, parseLabel } from './values.js';

export type KeyFileFormat = 'asvspoof5' | 'asvspoof2021' | 'asvspoof2019' | 'protocol' | 'csv' | 'pairs';

export interface KeyFile {
  path: string;
  format: KeyFileFormat;
  description: string;
  ids: string[];
  isBonafide: Uint8Array;
  /** Attack / source of each trial where the layout has one (for per-source metrics). */
  sources: string[] | null;
  /** ASVspoof 2021 subset column (progress, eval, hidden_track...), else null. */
  subsets: string[] | null;
  lines: Uint32Array;
  /** Position of each trial in `ids`. */
  index: Map<string, number>;
}

interface Layout {
  format: KeyFileFormat;
  description: string;
  idColumn: number;
  labelColumn: number;
  sourceColumn: number;
  subsetColumn: number;
  hasHeader: boolean;
}

/** ASVspoof protocols spell labels exactly so; layout detection relies on it. */
const isAsvspoofLabel = (field: string | undefined): boolean => field === 'bonafide' || field === 'spoof';

/**
 * Read a key (ground truth) file in the layout its content shows:
 * - ASVspoof 5: a header naming `filename` and `cm-label` (tab- or space-separated; more columns allowed);
 * - CSV with a header naming the trial column and a label column (label, cm-label, key, class),
 *   optionally a source/attack column (e.g. In-the-Wild's meta.csv `file,speaker,label`);
 * - ASVspoof 2021 trial_metadata, headerless: `spk trial codec trans attack label trim subset`
 *   (LA, 8 columns; DF has 13 with the label also in column 6): trial = column 2, label = 6,
 *   attack = 5, subset = 8;
 * - ASVspoof 2019 LA protocols `SPEAKER UTT - ATTACK KEY`: trial = 2, label = 5, attack = 4;
 * - other headerless protocols (e.g. ASVspoof 5's `D_4461 D_0000000169 F - - - AC1 A14 spoof -`):
 *   trial = column 2, label = the last column reading bonafide/spoof, attack = the column before it;
 * - two columns `trial label`.
 */
export function readKeyFile(path: string): KeyFile {
  const table = readTable(path, 'keys file');
  const layout = detectLayout(table);
  return collect(table, layout);
}

function detectLayout(table: Table): Layout {
  const first = table.first;
  const fields = first.fields;
  const idColumn = findColumn(fields, ID_COLUMNS);
  const labelColumn = findColumn(fields, LABEL_COLUMNS);
  if (idColumn >= 0 && labelColumn >= 0) {
    const format: KeyFileFormat = table.delimiter === 'comma' ? 'csv' : 'asvspoof5';
    const sourceColumn = findColumn(fields, SOURCE_COLUMNS);
    const description =
      `${format === 'csv' ? 'CSV' : 'ASVspoof 5 keys'} with header (trial "${fields[idColumn]}", label "${fields[labelColumn]}"` +
      `${sourceColumn >= 0 ? `, source "${fields[sourceColumn]}"` : ''})`;
    return { format, description, idColumn, labelColumn, sourceColumn, subsetColumn: -1, hasHeader: true };
  }
  if (fields.length >= 8 && isAsvspoofLabel(fields[5])) {
    const description = `ASVspoof 2021 trial_metadata (${fields.length} columns: trial 2, attack 5, label 6, subset 8)`;
    return { format: 'asvspoof2021', description, idColumn: 1, labelColumn: 5, sourceColumn: 4, subsetColumn: 7, hasHeader: false };
  }
  if (fields.length === 5 && isAsvspoofLabel(fields[4])) {
    const description = 'ASVspoof 2019 protocol (SPEAKER UTT - ATTACK KEY)';
    return { format: 'asvspoof2019', description, idColumn: 1, labelColumn: 4, sourceColumn: 3, subsetColumn: -1, hasHeader: false };
  }
  if (fields.length === 2 && parseLabel(fields[1]) !== null && idColumn < 0) {
    return { format: 'pairs', description: 'two columns (trial label)', idColumn: 0, labelColumn: 1, sourceColumn: -1, subsetColumn: -1, hasHeader: false };
  }
  const lastLabel = fields.findLastIndex((field, i) => i >= 2 && isAsvspoofLabel(field));
  if (lastLabel >= 0 && idColumn < 0 && labelColumn < 0) {
    const sourceColumn = lastLabel - 1 >= 2 ? lastLabel - 1 : -1;
    const description = `headerless protocol (${fields.length} columns: trial 2, label ${lastLabel + 1}${sourceColumn >= 0 ? `, attack ${sourceColumn + 1}` : ''})`;
    return { format: 'protocol', description, idColumn: 1, labelColumn: lastLabel, sourceColumn, subsetColumn: -1, hasHeader: false };
  }
  const headerProblem = idColumn >= 0 || labelColumn >= 0 ? ` (the header has no ${idColumn < 0 ? 'trial' : 'label'} column)` : '';
  throw new UserError(
    `${at(table, first)}: cannot tell the keys file's layout${headerProblem}. Expected a header naming the trial and label ` +
      'columns (ASVspoof 5: "filename<TAB>cm-label"; CSV: e.g. "id,label"), ASVspoof protocol lines with a bonafide/spoof ' +
      'column (2021: "spk trial codec trans attack label trim subset"), or "<trial> <label>" pairs; ' +
      `found "${fields.join(' ')}".`,
  );
}

function collect(table: Table, layout: Layout): KeyFile {
  const ids: string[] = [];
  const isBonafide: number[] = [];
  const sources: string[] | null = layout.sourceColumn >= 0 ? [] : null;
  const subsets: string[] | null = layout.subsetColumn >= 0 ? [] : null;
  const lines: number[] = [];
  const index = new Map<string, number>();
  const needed = Math.max(layout.idColumn, layout.labelColumn, layout.sourceColumn, layout.subsetColumn) + 1;
  let header = layout.hasHeader;
  let headerColumns: number | null = null;
  for (const row of table.rows()) {
    if (header) {
      header = false;
      headerColumns = row.fields.length;
      continue;
    }
    if (headerColumns !== null && row.fields.length > headerColumns) throw moreFieldsThanHeader(table, row, headerColumns);
    if (row.fields.length < needed) {
      throw new UserError(
        `${at(table, row)}: expected at least ${needed} columns (${layout.description}), found ${row.fields.length} ("${row.fields.join(' ')}").`,
      );
    }
    const id = row.fields[layout.idColumn] as string;
    if (id === '') throw new UserError(`${at(table, row)}: the trial name is empty.`);
    const previous = index.get(id);
    if (previous !== undefined) {
      throw new UserError(`${at(table, row)}: trial "${id}" has a second key (first on line ${lines[previous]}); give each trial one label.`);
    }
    index.set(id, ids.length);
    const label = parseLabel(row.fields[layout.labelColumn]);
    if (label === null) {
      throw new UserError(
        `${at(table, row)}: expected ${LABEL_SPELLINGS} in column ${layout.labelColumn + 1}, found "${row.fields[layout.labelColumn]}".`,
      );
    }
    ids.push(id);
    isBonafide.push(label ? 1 : 0);
    sources?.push(row.fields[layout.sourceColumn] as string);
    subsets?.push(row.fields[layout.subsetColumn] as string);
    lines.push(row.line);
  }
  if (ids.length === 0) throw new UserError(`${table.path}: the keys file has a header but no trials.`);
  return {
    path: table.path,
    format: layout.format,
    description: layout.description,
    ids,
    isBonafide: Uint8Array.from(isBonafide),
    sources,
    subsets,
    lines: Uint32Array.from(lines),
    index,
  };
}
