import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { tempDir } from '../helpers/tmp.js';
import { runSim, simSweep } from '../exec/sim-helpers.js';

/**
 * Issue 15, item 8: editing a sweep between runs silently dropped trials from it (their
 * results stayed in the store but no command showed them). Now the run says how many, and
 * the membership as it was stays readable as a sweep of its own.
 */
describe('a sweep file edited between runs', () => {
  const trialsOf = (csv: string) => new Set((parse(csv, { columns: true }) as Array<{ trial: string }>).map((r) => r.trial));

  it('says how many trials left the sweep and keeps their results reachable', () => {
    const dir = tempDir();
    const file = simSweep(dir);
    const results = join(dir, 'results');
    const first = runSim(['run', file, '--results', results, '--workers', '2']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const before = trialsOf(runSim(['export', 'sim', '--results', results]).stdout);
    expect(before.size).toBe(8);

    // One seed instead of two: 4 of the 8 trials are no longer in the file.
    const sweep = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...sweep, seeds: [0] }, null, 2));
    const second = runSim(['run', file, '--results', results, '--workers', '2']);
    expect(second.status).toBe(0);
    const warning = /warning: the sweep file no longer has 4 trial\(s\) that sim had in this store \(4 of them finished\); they are left out of sim from now on\. Their results are kept as the sweep (sim\.before-\d{8}T\d{6}Z)/.exec(second.stderr);
    expect(warning, second.stderr).not.toBeNull();
    const keptAs = warning?.[1] as string;

    expect(trialsOf(runSim(['export', 'sim', '--results', results]).stdout).size).toBe(4);
    const kept = runSim(['export', keptAs, '--results', results]);
    expect(kept.status).toBe(0);
    expect(trialsOf(kept.stdout)).toEqual(before);

    // The kept sweep is for reading: resume neither picks it nor runs it.
    const resume = runSim(['resume', '--results', results]);
    expect(resume.stdout + resume.stderr).toContain('every sweep in this store is done');
    const resumeKept = runSim(['resume', keptAs, '--results', results]);
    expect(resumeKept.stderr).toContain(`${keptAs}: keeps the trials an earlier version of its sweep file had`);
    expect(resumeKept.status).toBe(2);

    // Running the same file again loses nothing more and says nothing.
    const third = runSim(['run', file, '--results', results, '--workers', '2']);
    expect(third.stderr).toBe('');
    expect(third.status).toBe(0);
  });
});
