import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Issue 15, item 2: `--max-attempts abc` retried a failing job forever (Math.max(1, NaN) is
 * NaN), and 0, -1, 1.5 were silently turned into something. Every numeric option is checked
 * before anything runs: exit 2, the option, what was typed and what was expected.
 */
describe('numeric options', () => {
  const cases: Array<[string[], string]> = [
    [['run', 'sweeps/smoke.json', '--max-attempts', 'abc'], '--max-attempts abc: expected a whole number from 1 to 1000'],
    [['run', 'sweeps/smoke.json', '--max-attempts', '0'], '--max-attempts 0: expected a whole number from 1 to 1000'],
    [['run', 'sweeps/smoke.json', '--max-attempts', '-1'], '--max-attempts -1: expected'],
    [['run', 'sweeps/smoke.json', '--max-attempts', '1.5'], '--max-attempts 1.5: expected'],
    [['run', 'sweeps/smoke.json', '--workers', '0'], '--workers 0: expected a whole number from 1 to 1024'],
    [['resume', 'smoke', '--max-attempts', 'NaN'], '--max-attempts NaN: expected'],
    [['plan', 'sweeps/smoke.json', '--limit', '-3'], '--limit -3: expected a whole number, at least 0'],
    [['score', 'scores.tsv', '--keys', 'keys.tsv', '--bootstrap', '1e12'], '--bootstrap 1000000000000: expected a whole number of replicates from 0 to 1000000'],
    [['score', 'scores.tsv', '--keys', 'keys.tsv', '--level', '1'], '--level 1: expected a number strictly between 0 and 1'],
    [['compare', 'smoke', '--a', 'x', '--b', 'y', '--seed', '-2'], '--seed -2: expected'],
    [['worker', '--manifest', 'm.json', '--index', 'two'], '--index two: expected a whole number, at least 0'],
  ];

  it.each(cases)('ablate %j exits 2 before doing anything', (args, message) => {
    const results = join(tempDir(), 'results');
    const run = runCli([...args, '--results', results], { timeoutMs: 60_000 });
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain('internal error');
    expect(run.status).toBe(2);
    expect(existsSync(results)).toBe(false);
  });

  it('still takes a valid value', () => {
    const run = runCli(['plan', 'sweeps/smoke.json', '--limit', '1']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
