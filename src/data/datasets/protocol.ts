import { readFileSync } from 'node:fs';
import type { DatasetContext } from './context.js';

export interface ProtocolRow {
  fields: string[];
  /** 1-based line number in the protocol file, for messages. */
  line: number;
}

/**
 * Rows of a whitespace-separated protocol (ASVspoof, ADD): runs of spaces or tabs separate
 * columns and nothing is quoted. Written by hand because csv-parse treats every single
 * space as a delimiter (a double space would become an empty column); a regex split is
 * exact for this format. Blank lines and `#` comments are skipped; any other line must
 * have one of the `columns` counts, else the message names the file, line and columns.
 */
export function readProtocol(ctx: DatasetContext, file: string, columns: readonly number[], columnNames: string): ProtocolRow[] {
  const text = readText(ctx, file);
  const rows: ProtocolRow[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const trimmed = (lines[index] ?? '').trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/\s+/);
    if (!columns.includes(fields.length)) {
      const expected = columns.length === 1 ? `${columns[0]}` : columns.join(' or ');
      throw ctx.error(
        `expected ${expected} space-separated columns (${columnNames}), found ${fields.length}: "${truncate(trimmed)}". Fix or remove the line.`,
        { file, line: index + 1 },
      );
    }
    rows.push({ fields, line: index + 1 });
  }
  return rows;
}

export function readText(ctx: DatasetContext, file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw ctx.error(`cannot read ${file} (${code ?? String(error)}).`, {});
  }
}

export function truncate(text: string, length = 120): string {
  return text.length > length ? `${text.slice(0, length)}...` : text;
}
