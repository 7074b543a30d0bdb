import { UserError } from '../util/errors.js';

/*
 * Faults of the disk and of the database file, told apart from bugs: each becomes a
 * UserError (exit 3: the environment, not the input) that says what is wrong and what to
 * do. SQLite's result codes are the stable part of its errors (https://sqlite.org/rescode.html);
 * better-sqlite3 exposes them as `code` on its SqliteError, Node as `code` on fs errors.
 */

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** No space (or quota) left: SQLite's SQLITE_FULL, or ENOSPC/EDQUOT from a file write. */
export function isDiskFull(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || /\b(ENOSPC|EDQUOT)\b|no space left on device|database or disk is full/i.test(messageOf(error));
}

/** The file system or file refuses writes (mounted read-only, no permission). */
export function isReadOnly(error: unknown): boolean {
  const code = codeOf(error);
  return code.startsWith('SQLITE_READONLY') || code === 'EROFS' || /\bEROFS\b|read-only file system|attempt to write a readonly database/i.test(messageOf(error));
}

/** A store that cannot be opened for writing: read-only, or its -wal/-shm cannot be created. */
export function isUnwritableStore(error: unknown): boolean {
  const code = codeOf(error);
  return isReadOnly(error) || code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EPERM' || code.startsWith('SQLITE_PERM');
}

export function isCorrupt(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

/** A write that failed because of the environment: the run should stop, not retry the job. */
export function isEnvironmentWriteFault(error: unknown): boolean {
  return isDiskFull(error) || isReadOnly(error);
}

/**
 * The UserError for a fault of the store at `path` (the database file, or the results
 * folder when unknown), or null when `error` is not one (then it is a bug).
 */
export function storeFault(error: unknown, path: string): UserError | null {
  const detail = messageOf(error);
  if (isDiskFull(error)) {
    return new UserError(
      `${path}: the disk is full (${detail}). Nothing stored was lost: every change to the store is one transaction. ` +
        'Free some space (or point --results at a larger disk), then rerun the same command: it continues where it stopped.',
      { exitCode: 3, cause: error },
    );
  }
  if (isCorrupt(error)) {
    return new UserError(
      `${path}: the results database is damaged or not an ablate database (${detail}). ` +
        'Restore it from a backup, or move it aside and rerun the sweep (job outputs under jobs/ and the feature cache are reused). ' +
        '`sqlite3 <file> .recover` can often save what it holds.',
      { exitCode: 3, cause: error },
    );
  }
  if (isReadOnly(error)) {
    return new UserError(
      `${path}: cannot write here (${detail}): the file system is read-only or the files are not writable by this user. ` +
        'status, export and report (with --out on a writable folder) still read a read-only store; to run, copy the results folder to a writable place.',
      { exitCode: 3, cause: error },
    );
  }
  if (codeOf(error).startsWith('SQLITE_CANTOPEN') || codeOf(error) === 'EACCES' || codeOf(error) === 'EPERM') {
    return new UserError(`${path}: cannot open the results database (${detail}). Check that the folder exists and that this user may read and write it.`, {
      exitCode: 3,
      cause: error,
    });
  }
  if (codeOf(error) === 'SQLITE_BUSY' || codeOf(error) === 'SQLITE_LOCKED') {
    return new UserError(`${path}: the results database stayed locked by another process (${detail}). Try again when it is done.`, { exitCode: 3, cause: error });
  }
  return null;
}
