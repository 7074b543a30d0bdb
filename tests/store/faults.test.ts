import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/tmp.js';
import { repoRoot, tsxLoader } from '../helpers/cli.js';
import { mountTmpfs, remount, tmpfsProblem } from '../helpers/tmpfs.js';
import { openDb, runSim, simSweep } from '../exec/sim-helpers.js';
import { migrations } from '../../src/store/migrations.js';

const openStore = join(repoRoot, 'tests', 'fixtures', 'store', 'open-store.ts');

function noInternalError(result: { stderr: string }): void {
  expect(result.stderr).not.toMatch(/internal error|SqliteError|\n\s+at /);
}

describe('store faults end in a message, never an internal error', () => {
  it('processes opening a new store at the same moment all get the same, once-migrated schema', async () => {
    const dir = tempDir();
    for (let round = 0; round < 3; round++) {
      const results = join(dir, `r${round}`);
      const at = Date.now() + 1500;
      const children = Array.from({ length: 6 }, () =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['--import', tsxLoader, openStore, results, String(at)], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          child.stderr.on('data', (d) => (stderr += String(d)));
          child.on('exit', (code) => resolve({ code, stderr }));
        }),
      );
      const outcomes = await Promise.all(children);
      expect(outcomes.map((o) => o.stderr).join('')).toBe('');
      expect(outcomes.map((o) => o.code)).toEqual([0, 0, 0, 0, 0, 0]);
      const db = new Database(join(results, 'ablate.db'), { readonly: true });
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
  });

  it('--results naming a regular file: a message and exit 2, for run and for readers', () => {
    const dir = tempDir();
    const sweep = simSweep(dir);
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'hello\n');
    for (const args of [['run', sweep], ['status'], ['export', 'sim']]) {
      const result = runSim([...args, '--results', file, '--quiet'].filter((a) => a !== '--quiet' || args[0] === 'run'));
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toContain(`--results ${file}: this is a file, not a folder`);
      noInternalError(result);
    }
    expect(readFileSync(file, 'utf8')).toBe('hello\n');
  });

  it('a damaged database: a message naming the file and what to do, exit 3, for run and for readers', () => {
    const dir = tempDir();
    const sweep = simSweep(dir);
    const results = join(dir, 'results');
    expect(runSim(['run', sweep, '--results', results, '--quiet']).status).toBe(0);
    const db = join(results, 'ablate.db');
    // Overwrite the header and the first pages: what a bad disk or a stray `cp` leaves.
    const bytes = readFileSync(db);
    bytes.fill(0x5a, 0, 8192);
    writeFileSync(db, bytes);
    for (const args of [['status'], ['export', 'sim'], ['run', sweep, '--quiet']]) {
      const result = runSim([...args, '--results', results]);
      expect(result.status, result.stderr).toBe(3);
      expect(result.stderr).toContain(`${db}: the results database is damaged or not an ablate database`);
      noInternalError(result);
    }
  });

  it.skipIf(tmpfsProblem !== null)(`a completed store on a read-only file system: status, export and report read it; run says why it cannot ${tmpfsProblem ?? ''}`, () => {
    const dir = tempDir();
    const sweep = simSweep(dir);
    const mount = mountTmpfs('4m');
    const results = join(mount, 'results');
    expect(runSim(['run', sweep, '--results', results, '--quiet']).status).toBe(0);
    const expected = runSim(['export', 'sim', '--results', results, '--format', 'json']).stdout;
    remount(mount, 'ro');

    const status = runSim(['status', 'sim', '--results', results]);
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toContain('sim: 8/8 trials done');
    const exported = runSim(['export', 'sim', '--results', results, '--format', 'json']);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(expected);
    const inPlace = runSim(['report', 'sim', '--results', results, '--format', 'svg']);
    expect(inPlace.status, inPlace.stderr).toBe(3);
    expect(inPlace.stderr).toMatch(/the file system is read-only .*Choose a writable folder with --out/);
    noInternalError(inPlace);
    const out = join(dir, 'report');
    const report = runSim(['report', 'sim', '--results', results, '--out', out, '--format', 'svg']);
    expect(report.status, report.stderr).toBe(0);
    expect(readFileSync(join(out, 'tables', readTableName(out)), 'utf8').length).toBeGreaterThan(0);

    const run = runSim(['run', sweep, '--results', results, '--quiet']);
    expect(run.status, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/cannot write here .*read-only/);
    noInternalError(run);
  });

  it.skipIf(tmpfsProblem !== null)(`a full disk stops the run with a message and an intact store; with space freed the rerun completes ${tmpfsProblem ?? ''}`, () => {
    const dir = tempDir();
    const sweep = simSweep(dir);
    const reference = join(dir, 'reference');
    expect(runSim(['run', sweep, '--results', reference, '--quiet']).status).toBe(0);
    const expected = runSim(['export', 'sim', '--results', reference, '--format', 'json']).stdout;

    // Room for the schema and the first jobs, not for the whole sweep: the disk fills while
    // jobs run, so the failing write is one the scheduler makes for a running job. (300k
    // filled before the first epoch once the schema grew a table, expert_metrics; 340k to
    // 440k all fill mid-run.)
    const mount = mountTmpfs('340k');
    const results = join(mount, 'results');
    const full = runSim(['run', sweep, '--results', results, '--quiet']);
    expect(full.status, full.stderr).toBe(3);
    expect(full.stderr).toContain('the disk is full');
    expect(full.stderr).toContain('rerun the same command');
    noInternalError(full);
    // The store as the run left it (with its WAL), checked on a copy: a read there needs room for -shm.
    const copy = join(dir, 'copy');
    mkdirSync(copy);
    for (const name of ['ablate.db', 'ablate.db-wal']) if (existsSync(join(results, name))) copyFileSync(join(results, name), join(copy, name));
    const db = openDb(copy);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Jobs had started when the disk filled.
    expect((db.prepare('SELECT COUNT(*) AS n FROM attempts').get() as { n: number }).n).toBeGreaterThan(0);
    db.close();

    remount(mount, 'size=8m');
    const rerun = runSim(['run', sweep, '--results', results, '--quiet']);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(runSim(['export', 'sim', '--results', results, '--format', 'json']).stdout).toBe(expected);
  });
});

function readTableName(out: string): string {
  return readdirSync(join(out, 'tables')).find((n) => n.endsWith('.md')) as string;
}
