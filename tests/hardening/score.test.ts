import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Issue 15, item 8: `ablate score` read rows with more fields than the header silently,
 * printed NaN metrics with exit 0 for scores near 1e308, and `--bootstrap 1e12` was an
 * internal error.
 */
describe('ablate score on hostile files', () => {
  const files = (dir: string, scores: string, keys = 'id,label\na,bonafide\nb,spoof\nc,spoof\nd,bonafide\ne,spoof\n') => {
    writeFileSync(join(dir, 'scores.csv'), scores);
    writeFileSync(join(dir, 'keys.csv'), keys);
    return [join(dir, 'scores.csv'), '--keys', join(dir, 'keys.csv')];
  };

  it('refuses a score row with more fields than the header, naming the line', () => {
    const dir = tempDir();
    const run = runCli(['score', ...files(dir, 'id,score\na,1\nb,2,extra\nc,3\nd,4\ne,5\n')]);
    expect(run.stderr).toContain('scores.csv line 3: 3 fields, but the header names 2 ("b | 2 | extra")');
    expect(run.status).toBe(2);
  });

  it('refuses a key row with more fields than the header', () => {
    const dir = tempDir();
    const run = runCli(['score', ...files(dir, 'id,score\na,1\nb,2\nc,3\nd,4\ne,5\n', 'id,label\na,bonafide\nb,spoof,x\nc,spoof\nd,bonafide\ne,spoof\n')]);
    expect(run.stderr).toContain('keys.csv line 3: 3 fields, but the header names 2');
    expect(run.status).toBe(2);
  });

  it('gives a finite Cllr for scores near 1e308, and never NaN with exit 0', () => {
    const dir = tempDir();
    const run = runCli(['score', ...files(dir, 'id,score\na,1.7e308\nb,1.6e308\nc,1.79e308\nd,1.75e308\ne,-1.79e308\n'), '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    for (const [name, value] of Object.entries(report)) expect(value, name).not.toBeNull();
    // Bona fide scores cost ~0; spoof ones cost their value: (1.6e308 + 1.79e308 + 0) / 3 / 2 / ln 2.
    const expected = (1.6e308 / 3 + 1.79e308 / 3) / 2 / Math.LN2;
    expect((report['cllr'] as number) / expected).toBeCloseTo(1, 12);
  });

  it('refuses --bootstrap 1e12 with exit 2', () => {
    const dir = tempDir();
    const run = runCli(['score', ...files(dir, 'id,score\na,1\nb,2\nc,3\nd,4\ne,5\n'), '--bootstrap', '1e12']);
    expect(run.stderr).toContain('--bootstrap 1000000000000: expected a whole number of replicates from 0 to 1000000');
    expect(run.status).toBe(2);
  });
});
