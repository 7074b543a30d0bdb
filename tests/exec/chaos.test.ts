import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { Rng } from '../../src/util/rng.js';
import { exited, lines, openDb, runSim, simSweep, startSim, waitFor } from './sim-helpers.js';

const env = { ABLATE_SIM_EPOCH_MS: '60', ABLATE_SIM_EPOCHS: '4' };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('chaos: SIGKILL at random moments, resume each time', () => {
  it('ends with every job done exactly once, no duplicated rows, an intact store and the uninterrupted results', async () => {
    const dir = tempDir();
    const sweep = simSweep(dir);

    const reference = join(dir, 'reference');
    expect(runSim(['run', sweep, '--results', reference, '--quiet'], env).status).toBe(0);
    const expected = runSim(['export', 'sim', '--results', reference, '--format', 'json']).stdout;

    const results = join(dir, 'chaos');
    const rng = new Rng(20261126);
    let kills = 0;
    for (let round = 0; round < 6; round++) {
      const child = startSim(['run', sweep, '--results', results, '--workers', '2', '--quiet'], env);
      const done = exited(child);
      // Kill while jobs run: once this round has executed an epoch, after a random extra delay.
      const before = lines(join(results, 'sim-epochs.log')).length;
      const running = waitFor(() => lines(join(results, 'sim-epochs.log')).length > before, 60_000).then(() => sleep(rng.between(0, 700)));
      const killed = await Promise.race([running.then(() => child.kill('SIGKILL')), done.then(() => false)]);
      const { code } = await done;
      if (killed && code !== 0) kills++;
      else break;
    }
    const final = runSim(['resume', 'sim', '--results', results, '--quiet'], env);
    expect(final.status).toBe(0);
    expect(kills).toBeGreaterThanOrEqual(3);

    const db = openDb(results);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const jobs = db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all();
    expect(jobs).toEqual([{ state: 'done', n: 20 }]);
    const doneTwice = db.prepare("SELECT job_key FROM attempts WHERE state = 'done' GROUP BY job_key HAVING COUNT(*) > 1").all();
    expect(doneTwice).toEqual([]);
    expect(db.prepare("SELECT COUNT(*) AS n FROM attempts WHERE state = 'running'").get()).toEqual({ n: 0 });
    // 4 pre-training + 4 mixture jobs x 4 epochs x 2 metrics, each once.
    expect(db.prepare('SELECT COUNT(*) AS n FROM epoch_metrics').get()).toEqual({ n: 8 * 4 * 2 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM scores').get()).toEqual({ n: 8 * 3 * 2 });
    const interrupted = db.prepare("SELECT COUNT(*) AS n FROM attempts WHERE state = 'interrupted'").get() as { n: number };
    expect(interrupted.n).toBeGreaterThanOrEqual(kills);
    db.close();
    console.log(`chaos: ${kills} kills, ${interrupted.n} interrupted attempts recovered, 20 jobs done once each`);

    expect(runSim(['export', 'sim', '--results', results, '--format', 'json']).stdout).toBe(expected);
  });
});
