import { existsSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import { expandSweep, loadSweep, planSweep, type Plan } from '../search/index.js';
import { parseJsonWithPositions } from '../search/json-source.js';
import { validateSweep } from '../search/load-sweep.js';
import { getSweep, isKeptMembership, listSweeps, type Db } from '../store/index.js';
import { collectAll } from '../exec/slurm/index.js';

/**
 * Commands take a sweep as a file (sweeps/mile-grid.json) or, once it ran, by its name
 * (mile-grid). A name is read from the store, which keeps the validated sweep.
 */
export function sweepNameOf(ref: string, db: Db | null): string {
  if (existsSync(ref) && ref.endsWith('.json')) return loadSweep(ref).sweep.name;
  if (db && getSweep(db, ref)) return ref;
  throw unknownSweep(ref, db);
}

/**
 * Merge the result files Slurm tasks left for these sweeps into the store (a no-op when
 * the sweeps never ran on Slurm), so every reader sees them. Problems become warnings.
 */
export function collectSlurmResults(db: Db, resultsDir: string, sweeps: string[]): void {
  // A store read from a read-only file system (openDatabase) cannot take them; read what it has.
  if (db.readonly) return;
  for (const collected of collectAll(db, resultsDir, sweeps)) for (const problem of collected.problems) process.stderr.write(`warning: ${problem}\n`);
}

/** The sweep a reading command (report, export, compare) names, with Slurm results collected first. */
export function collectedSweep(ref: string, db: Db, resultsDir: string): string {
  const sweep = sweepNameOf(ref, db);
  collectSlurmResults(db, resultsDir, [sweep]);
  return sweep;
}

/** The plan for a sweep named by file or by its stored name, and the spec to store. */
export function planOf(ref: string, db: Db | null): { plan: Plan; spec: unknown } {
  if (existsSync(ref)) {
    const loaded = loadSweep(ref);
    return { plan: planSweep(expandSweep(loaded)), spec: loaded.sweep };
  }
  const row = db ? getSweep(db, ref) : undefined;
  if (!row) throw unknownSweep(ref, db);
  if (isKeptMembership(ref)) {
    throw new UserError(`${ref}: keeps the trials an earlier version of its sweep file had, for reading (status, export, report, compare); it does not run. To run those trials, run that version of the sweep file.`);
  }
  const source = parseJsonWithPositions(row.file, row.spec);
  const sweep = validateSweep(`${row.file} (as stored)`, source);
  return { plan: planSweep(expandSweep({ file: row.file, sweep, source })), spec: sweep };
}

function unknownSweep(ref: string, db: Db | null): UserError {
  const known = db ? listSweeps(db).map((s) => s.name) : [];
  const list = known.length > 0 ? ` Sweeps in this store: ${known.join(', ')}.` : ' This store has no sweeps yet.';
  return new UserError(`${ref}: neither a sweep file nor a sweep in the results store.${list}`);
}
