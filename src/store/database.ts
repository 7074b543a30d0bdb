import Database from 'better-sqlite3';
import { accessSync, constants, mkdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isUserError, UserError } from '../util/errors.js';
import { migrations } from './migrations.js';
import { isUnwritableStore, storeFault } from './faults.js';
import { readOnlyCopy } from './read-only-copy.js';

export type Db = Database.Database;

export const databaseFileName = 'ablate.db';

const busyTimeoutMs = 10000;

export function databasePath(resultsDir: string): string {
  return join(resultsDir, databaseFileName);
}

/**
 * Open (creating if needed) the results database: WAL so readers (status, report) never
 * block the writer, a busy timeout so two processes wait rather than fail, foreign keys on,
 * and migrations applied in one transaction each. Faults of the disk or of the file
 * (full, read-only, damaged, not a folder) become UserErrors that say what to do.
 *
 * `mustExist` is how reading commands open it: a store they cannot open for writing (a
 * read-only file system, where SQLite cannot create the WAL's -shm file) is read from a
 * private copy instead, read-only, so status, export and report still work there.
 */
export function openDatabase(resultsDir: string, options: { readonly?: boolean; mustExist?: boolean } = {}): Db {
  const path = databasePath(resultsDir);
  checkResultsFolder(resultsDir);
  if ((options.readonly || options.mustExist) && !existsSync(path)) {
    throw new UserError(`${path}: no results database here. Run a sweep first (ablate run <sweep>), or point --results at the folder that holds ablate.db.`);
  }
  try {
    if (!options.readonly) mkdirSync(resultsDir, { recursive: true });
    return openAt(path, options.readonly ?? false);
  } catch (error) {
    if (isUserError(error)) throw error;
    if ((options.readonly || options.mustExist) && isUnwritableStore(error)) {
      try {
        return openAt(readOnlyCopy(path), true);
      } catch (copyError) {
        if (isUserError(copyError)) throw copyError;
        throw storeFault(copyError, path) ?? copyError;
      }
    }
    // SQLite says only "unable to open database file" when it cannot create the -shm file;
    // asking the file system says why.
    if (isUnwritableStore(error)) throw storeFault(writeProbe(resultsDir) ?? error, path) ?? error;
    throw storeFault(error, path) ?? new UserError(`${path}: cannot open the results database (${(error as Error).message}).`, { exitCode: 3, cause: error });
  }
}

function writeProbe(folder: string): unknown {
  try {
    accessSync(folder, constants.W_OK);
    return null;
  } catch (error) {
    return error;
  }
}

/** `--results` must name a folder (made if missing): a file there is a mistake in the command. */
function checkResultsFolder(resultsDir: string): void {
  let isFolder: boolean;
  try {
    isFolder = statSync(resultsDir).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new UserError(`--results ${resultsDir}: part of this path is a file, not a folder. Name a folder for the results (it is created if missing).`);
    throw storeFault(error, resultsDir) ?? error;
  }
  if (!isFolder) throw new UserError(`--results ${resultsDir}: this is a file, not a folder. Name a folder for the results (it is created if missing), e.g. --results results.`);
}

function openAt(path: string, readonly: boolean): Db {
  const db = new Database(path, { readonly, fileMustExist: readonly });
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (!readonly) {
      switchToWal(db);
      // NORMAL is durable across process crashes in WAL mode; FULL adds power-loss durability
      // of the last transactions at a cost we do not need for re-runnable work.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    if (!readonly) migrate(db, path);
    else checkVersion(db, path);
    // A damaged file can pass the header check; reading the schema touches its first pages.
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Switching a new file to WAL needs its exclusive lock, and SQLite answers SQLITE_BUSY at once,
 * without the busy handler, when another process opening the same new store holds a shared
 * lock in that moment (several `ablate run` started together). Retry it for as long as the
 * busy timeout would have waited; every other lock wait goes through the busy handler.
 */
function switchToWal(db: Db): void {
  const deadline = Date.now() + busyTimeoutMs;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      Atomics.wait(sleeper, 0, 0, 10);
    }
  }
}

function migrate(db: Db, path: string): void {
  checkVersion(db, path);
  // Up to date (every open but the first): no write transaction, so readers never take the write lock.
  if ((db.pragma('user_version', { simple: true }) as number) === migrations.length) return;
  for (let version = 0; version < migrations.length; version++) {
    db.transaction(() => {
      // Read inside the write transaction: two runs opening a new store at the same moment
      // would otherwise both see version 0 and the second would recreate the tables.
      if ((db.pragma('user_version', { simple: true }) as number) > version) return;
      db.exec(migrations[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

function checkVersion(db: Db, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new UserError(`${path}: written by a newer ablate (schema ${current}, this one knows ${migrations.length}). Upgrade ablate to read it.`);
  }
}

export function now(): string {
  return new Date().toISOString();
}
