import Database from 'better-sqlite3';
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors.js';
import { migrations } from './migrations.js';

export type Db = Database.Database;

export const databaseFileName = 'ablate.db';

export function databasePath(resultsDir: string): string {
  return join(resultsDir, databaseFileName);
}

/**
 * Open (creating if needed) the results database: WAL so readers (status, report) never
 * block the writer, a busy timeout so two processes wait rather than fail, foreign keys on,
 * and migrations applied in one transaction each.
 */
export function openDatabase(resultsDir: string, options: { readonly?: boolean; mustExist?: boolean } = {}): Db {
  const path = databasePath(resultsDir);
  if ((options.readonly || options.mustExist) && !existsSync(path)) {
    throw new UserError(`${path}: no results database here. Run a sweep first (ablate run <sweep>), or point --results at the folder that holds ablate.db.`);
  }
  if (!options.readonly) mkdirSync(resultsDir, { recursive: true });
  let db: Db;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    throw new UserError(`${path}: cannot open the results database (${(error as Error).message}).`, { cause: error });
  }
  db.pragma('busy_timeout = 10000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; FULL adds power-loss durability
    // of the last transactions at a cost we do not need for re-runnable work.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  if (!options.readonly) migrate(db, path);
  else checkVersion(db, path);
  return db;
}

function migrate(db: Db, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new UserError(`${path}: written by a newer ablate (schema ${current}, this one knows ${migrations.length}). Upgrade ablate to read it.`);
  }
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
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
