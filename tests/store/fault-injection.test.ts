import { describe, expect, it } from 'vitest';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/tmp.js';
import { mountTmpfs, tmpfsProblem } from '../helpers/tmpfs.js';
import { Rng } from '../../src/util/rng.js';
import { exited, lines, runSim, simSweep, startSim, waitFor } from '../exec/sim-helpers.js';

const env = { ABLATE_SIM_EPOCH_MS: '80', ABLATE_SIM_EPOCHS: '5' };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Take every free byte of the file system holding `dir`: the next write there gets ENOSPC. */
function fillDisk(dir: string): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (let size = chunk.length; size >= 1; ) {
      try {
        writeSync(fd, chunk, 0, size);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        size = Math.floor(size / 2);
      }
    }
  } finally {
    closeSync(fd);
  }
  return filler;
}

function integrity(results: string): string {
  const db = new Database(join(results, 'ablate.db'), { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe.skipIf(tmpfsProblem !== null)(`fault injection: kill -9 and a full disk at random points of a sweep ${tmpfsProblem ?? ''}`, () => {
  it('leaves an intact store every time; a rerun completes with the uninterrupted export', async () => {
    const dir = tempDir();
    const sweep = simSweep(dir);
    const reference = join(dir, 'reference');
    expect(runSim(['run', sweep, '--results', reference, '--quiet'], env).status).toBe(0);
    const expected = runSim(['export', 'sim', '--results', reference, '--format', 'json']).stdout;

    const mount = mountTmpfs('16m');
    const results = join(mount, 'results');
    const rng = new Rng(20261202);
    const faults = { kill: 0, full: 0 };
    const points = new Set<number>();
    for (let round = 0; round < 30; round++) {
      const child = startSim(['run', sweep, '--results', results, '--workers', '2', '--quiet'], env);
      const done = exited(child);
      // Alternating, so both kinds strike several times; where they strike is random.
      const kind = round % 2 === 0 ? 'kill' : 'full';
      // Once this round has run an epoch (so it got past its start), after a random delay.
      const before = lines(join(results, 'sim-epochs.log')).length;
      const delay = rng.between(0, 300);
      const ready = waitFor(() => lines(join(results, 'sim-epochs.log')).length > before, 60_000).then(() => sleep(delay));
      const struck = await Promise.race([ready.then(() => true), done.then(() => false)]);
      if (!struck) {
        expect((await done).code).toBe(0);
        break;
      }
      const point = lines(join(results, 'sim-epochs.log')).length;
      if (kind === 'kill') {
        child.kill('SIGKILL');
        const outcome = await done;
        if (outcome.code === 0) break;
        faults.kill++;
      } else {
        const filler = fillDisk(mount);
        const outcome = await done;
        rmSync(filler);
        if (outcome.code === 0) break;
        // A clean stop: the message says what happened and what to do, no stack trace.
        expect(outcome.code, outcome.stderr).toBe(3);
        expect(outcome.stderr).toContain('the disk is full');
        expect(outcome.stderr).not.toMatch(/internal error|SqliteError|\n\s+at /);
        faults.full++;
      }
      points.add(point);
      expect(integrity(results)).toBe('ok');
    }
    expect(faults.kill).toBeGreaterThanOrEqual(3);
    expect(faults.full).toBeGreaterThanOrEqual(3);

    const final = runSim(['run', sweep, '--results', results, '--quiet'], env);
    expect(final.status, final.stderr).toBe(0);
    expect(integrity(results)).toBe('ok');
    const db = new Database(join(results, 'ablate.db'), { readonly: true });
    expect(db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all()).toEqual([{ state: 'done', n: 20 }]);
    expect(db.prepare("SELECT COUNT(*) AS n FROM attempts WHERE state = 'running'").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT job_key FROM attempts WHERE state = 'done' GROUP BY job_key HAVING COUNT(*) > 1").all()).toEqual([]);
    const attempts = db.prepare('SELECT state, COUNT(*) AS n FROM attempts GROUP BY state ORDER BY state').all();
    db.close();
    expect(runSim(['export', 'sim', '--results', results, '--format', 'json']).stdout).toBe(expected);
    console.log(
      `fault injection: ${faults.kill + faults.full} faults (${faults.kill} kill -9, ${faults.full} disk full) at ${points.size} points ` +
        `(epochs run when struck: ${[...points].sort((a, b) => a - b).join(', ')}); attempts ${JSON.stringify(attempts)}; integrity ok after each; export equal`,
    );
  });
});
