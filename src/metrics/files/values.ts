import { UserError } from '../../util/errors.js';
import { at, type TableRow } from './table.js';

/** A plain decimal number, as Python's float() and pandas accept in score files. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/**
 * Parse one score field. `Number()` alone is too lenient ('' -> 0, '0x1f' -> 31), so the
 * text must be a decimal; NaN and infinities are refused as the ASVspoof scorers refuse them.
 */
export function parseScore(text: string | undefined, table: { path: string }, row: TableRow, column: string): number {
  const value = Number(text);
  // Fast path for the common case; the pattern rules out what Number() wrongly accepts.
  if (Number.isFinite(value) && DECIMAL.test(text as string)) return value;
  const where = at(table, row);
  if (text === undefined || text === '') {
    throw new UserError(`${where}: the score (${column}) is missing; every trial needs a number.`);
  }
  if (NON_FINITE.test(text)) {
    throw new UserError(
      `${where}: the score is ${text}; NaN and infinite scores are refused (as by the ASVspoof scorers). ` +
        'Fix the model output (overflow, diverged run) and write the file again.',
    );
  }
  if (!DECIMAL.test(text)) throw new UserError(`${where}: expected a number in ${column}, found "${text}".`);
  throw new UserError(`${where}: the score ${text} overflows a double; NaN and infinite scores are refused.`);
}

/**
 * A row with more fields than its header: a shifted column (an unquoted comma in a name, a
 * stray delimiter) would otherwise be read silently from the wrong place.
 */
export function moreFieldsThanHeader(table: { path: string }, row: TableRow, headerColumns: number): UserError {
  return new UserError(
    `${at(table, row)}: ${row.fields.length} fields, but the header names ${headerColumns} ("${row.fields.join(' | ')}"). ` +
      'Quote fields that contain the delimiter, or remove the extra ones.',
  );
}

const BONAFIDE_WORDS = new Set(['bonafide', 'bona-fide', 'bona_fide', 'bona fide', 'genuine', 'real', 'pristine', 'human']);
const SPOOF_WORDS = new Set(['spoof', 'fake', 'generated', 'deepfake', 'synthetic']);

/**
 * A key label: ASVspoof's bonafide / spoof, and the spellings of the other corpora the
 * loaders read (In-the-Wild "bona-fide", ADD "genuine"/"fake", SAFE "pristine"/"generated").
 * Returns null for anything else.
 */
export function parseLabel(text: string | undefined): boolean | null {
  const word = (text ?? '').toLowerCase();
  if (BONAFIDE_WORDS.has(word)) return true;
  if (SPOOF_WORDS.has(word)) return false;
  return null;
}

export const LABEL_SPELLINGS = 'bonafide or spoof (also bona-fide, genuine, real, pristine / fake, generated)';
