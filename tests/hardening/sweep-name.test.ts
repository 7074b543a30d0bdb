import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, repoRoot } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Issue 15, item 1: the name pattern accepted '..', '.' and names starting with '-', and the
 * name becomes a folder (<results>/<name>/report): `ablate report ..` wrote outside the
 * results folder. A name must be one safe path segment.
 */
describe('sweep names', () => {
  const smoke = JSON.parse(readFileSync(join(repoRoot, 'sweeps', 'smoke.json'), 'utf8')) as Record<string, unknown>;
  const withName = (dir: string, name: string): string => {
    const file = join(dir, 'sweep.json');
    writeFileSync(file, JSON.stringify({ ...smoke, $schema: undefined, name }, null, 2));
    return file;
  };

  it.each(['..', '.', '-rf', '.hidden', 'a/b', ''])('refuses the name %j with exit 2, naming the field', (name) => {
    const dir = tempDir();
    const run = runCli(['plan', withName(dir, name)]);
    expect(run.stderr).toMatch(/name: must (match|NOT have fewer)/);
    expect(run.stderr).not.toContain('internal error');
    expect(run.status).toBe(2);
  });

  it('still takes names with dots and dashes inside', () => {
    const dir = tempDir();
    const run = runCli(['plan', withName(dir, 'mile_grid-v1.2'), '--limit', '1']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
