import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, repoRoot } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Issue 15, item 6: a grid of 10 million trials ran `plan` out of memory after minutes, and a
 * 50 MB description cost gigabytes and landed in every report. The grid is counted before it
 * is built and refused above a limit (with the count and how to raise it); free text is bounded.
 */
describe('sweep size limits', () => {
  const smoke = JSON.parse(readFileSync(join(repoRoot, 'sweeps', 'smoke.json'), 'utf8')) as Record<string, unknown>;
  const write = (dir: string, changes: Record<string, unknown>): string => {
    const file = join(dir, 'sweep.json');
    writeFileSync(file, JSON.stringify({ ...smoke, $schema: undefined, ...changes }));
    return file;
  };
  const levels = (n: number, step: number) => Array.from({ length: n }, (_, i) => step * (i + 1));
  const hugeGrid = { 'train.lr': levels(100, 1e-4), 'train.weightDecay': levels(100, 1e-5), 'gate.dropout': levels(1000, 8e-4) };

  it('refuses a 10-million-trial grid at once, with the count and how to raise the limit', () => {
    const file = write(tempDir(), { grid: hugeGrid });
    const run = runCli(['plan', file], { timeoutMs: 60_000 });
    expect(run.stderr).toContain(`${file}: the grid expands to 10,000,001 trials`);
    expect(run.stderr).toContain('more than the limit of 100,000');
    expect(run.stderr).toContain('ABLATE_MAX_TRIALS=<n>');
    expect(run.status).toBe(2);
  });

  it('counts conditional axes only where they apply, and ABLATE_MAX_TRIALS moves the limit', () => {
    const dir = tempDir();
    // 2 routings x 30 learning rates, the 10 weight decays only under top-k: 30 + 300 points, plus the include.
    const grid = { routing: [{ mode: 'soft' }, { mode: 'topk', k: 1 }], 'train.lr': levels(30, 1e-4), 'train.weightDecay': { values: levels(10, 1e-5), when: { 'routing.mode': 'topk' } } };
    const file = write(dir, { grid });
    const refused = runCli(['plan', file, '--json'], { env: { ABLATE_MAX_TRIALS: '330' } });
    expect(refused.stderr).toContain('the grid expands to 331 trials (330 grid points and 1 includes');
    expect(refused.status).toBe(2);
    const allowed = runCli(['plan', file, '--json'], { env: { ABLATE_MAX_TRIALS: '331' } });
    expect(allowed.stderr).toBe('');
    expect(allowed.status).toBe(0);
    const bad = runCli(['plan', file], { env: { ABLATE_MAX_TRIALS: 'lots' } });
    expect(bad.stderr).toContain('ABLATE_MAX_TRIALS=lots: expected a whole number of trials');
    expect(bad.status).toBe(2);
  });

  it('bounds the description and the seeds, and never echoes a huge value whole', () => {
    const dir = tempDir();
    const long = runCli(['plan', write(dir, { description: 'x'.repeat(200_000) })]);
    expect(long.stderr).toContain('description: must NOT have more than 10000 characters');
    expect(long.stderr).toContain('(200002 characters)');
    expect(long.stderr.length).toBeLessThan(2000);
    expect(long.status).toBe(2);
    const repeats = runCli(['plan', write(dir, { seeds: undefined, repeats: 1e9 })]);
    expect(repeats.stderr).toContain('repeats: must be <= 10000');
    expect(repeats.status).toBe(2);
  });

  it('refuses a sweep file over 1 MB before parsing it', () => {
    const dir = tempDir();
    const file = join(dir, 'sweep.json');
    writeFileSync(file, JSON.stringify({ ...smoke, description: 'y'.repeat(2_000_000) }));
    const run = runCli(['plan', file]);
    expect(run.stderr).toMatch(/sweep\.json: 2\.0 MB; a sweep file may be at most 1 MB/);
    expect(run.status).toBe(2);
  });
});
