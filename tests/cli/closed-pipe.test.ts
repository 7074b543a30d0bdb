import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliNodeArgs, repoRoot } from '../helpers/cli.js';

/** `ablate ... | head -c 10` in a real shell; prints the CLI's exit status last on stderr. */
function pipeToHead(args: string[]): { status: string; stdout: string; stderr: string } {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = `${[process.execPath, ...cliNodeArgs(args)].map(quote).join(' ')} | head -c 10; echo "status=\${PIPESTATUS[0]}" >&2`;
  const run = spawnSync('bash', ['-c', command], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  const status = /status=(\d+)\s*$/.exec(run.stderr)?.[1] ?? '?';
  return { status, stdout: run.stdout, stderr: run.stderr.replace(/status=\d+\s*$/, '') };
}

describe('a closed output pipe', () => {
  it('ends a command quietly: no EPIPE stack trace, exit 0', () => {
    // 300 kB of JSON: far more than a pipe holds, so the CLI is still writing when head exits.
    const { status, stdout, stderr } = pipeToHead(['plan', join('sweeps', 'mile-grid.json'), '--json']);
    expect(stdout).toHaveLength(10);
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect(stderr.trim()).toBe('');
    expect(status).toBe('0');
  });
});
