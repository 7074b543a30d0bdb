import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliNodeArgs, repoRoot } from './helpers/cli.js';
import { simulatedRunner } from './exec/sim-helpers.js';

/**
 * Every command the README shows, run as a newcomer would type it (through bash, from the
 * repository root), against a store that the README's own `ablate run` builds: mile-grid,
 * every trial, with the simulated job runner so the whole sweep takes seconds. The store
 * lives in a temp folder (`--results` / ABLATE_RESULTS point there), and a README command
 * this test does not know fails it, so a new example cannot go untested.
 */

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** Commands in ```sh blocks (comments dropped, `a && b` split) and inline `npx ablate ...` spans, in README order. */
function readmeCommands(): string[] {
  const commands: string[] = [];
  const blocks = /```sh\n([\s\S]*?)```/g;
  let prose = readme;
  for (const [block, body] of readme.matchAll(blocks)) {
    prose = prose.replace(block, '');
    for (const line of body!.split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (command) commands.push(...command.split(/\s+&&\s+/));
    }
  }
  for (const [, inline] of prose.matchAll(/`(npx ablate [^`]+)`/g)) commands.push(inline!);
  return [...new Set(commands)];
}

const commands = readmeCommands();
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const ablate = [process.execPath, ...cliNodeArgs([])].map(quote).join(' ');

// python3 = Debian's, which has jupyter_client (a pyenv or venv python3 may not); node = this one, for tslab's `#!/usr/bin/env node`.
const withDebianPython = { PATH: `${dirname(process.execPath)}:/usr/bin:${process.env['PATH'] ?? ''}` };
const hasJupyter = spawnSync('jupyter', ['nbconvert', '--version'], { env: { ...process.env, ...withDebianPython } }).status === 0;

/** Commands that are not run here, and why. */
const notRunHere: Array<[RegExp, string]> = [
  // CI installs Jupyter (.ci/run), so there a missing one fails the test instead.
  ...(hasJupyter || process.env['CI'] ? [] : ([[/^(npx tslab install|jupyter) /, 'no Jupyter here (apt-get install jupyter-nbconvert)']] as Array<[RegExp, string]>)),
  [/^npm (ci|test|run build)$/, 'installs, builds or tests the repository itself: what CI does before and around this test'],
];

describe('every command in the README', () => {
  let dir: string;
  let results: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ablate-readme-'));
    results = join(dir, 'results');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows the commands this test knows: run, status, report, export, resume, plan and the notebook', () => {
    expect(commands).toContain('npx ablate run sweeps/mile-grid.json');
    expect(commands.filter((c) => c.startsWith('npx ablate')).map((c) => c.split(' ')[2])).toEqual(
      expect.arrayContaining(['run', 'status', 'report', 'compare', 'export', 'resume', 'plan']),
    );
    expect(commands.some((c) => c.startsWith('jupyter nbconvert'))).toBe(true);
  });

  /** Run one README command through bash; `npx ablate` runs the CLI from its sources. */
  function sh(command: string, env: Record<string, string> = {}) {
    const run = spawnSync('bash', ['-c', command], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  for (const command of commands) {
    const skip = notRunHere.find(([pattern]) => pattern.test(command));
    if (skip) {
      it.skip(`${command} (not run here: ${skip[1]})`, () => {});
      continue;
    }
    it(command, () => {
      if (command.startsWith('npx ablate ')) {
        const args = command.slice('npx ablate '.length);
        const run = sh(`${ablate} ${args} --results ${quote(results)}`, { ABLATE_JOB_RUNNER: simulatedRunner, ABLATE_SIM_EPOCH_MS: '1', ABLATE_SIM_EPOCHS: '2' });
        expect(run.status, run.stderr).toBe(0);
        expect(run.stderr).not.toMatch(/internal error|EPIPE|\n\s+at /);
        const sub = args.split(' ')[0];
        if (sub === 'run') expect(run.stdout).toMatch(/mile-grid: 84\/84 trials done/);
        // The store is finished: resume says so and runs nothing.
        if (sub === 'resume') expect(run.stderr).toMatch(/nothing to resume: every sweep in this store is done \(mile-grid\)/);
        if (sub === 'status') expect(run.stdout).toMatch(/^mile-grid: 84\/84 trials done, 0 pending, 0 failed; 0 jobs running; ETA 0s/);
        if (sub === 'plan') expect(run.stdout).toMatch(/84/);
        if (sub === 'report') {
          for (const file of ['index.html', 'tables', 'figures']) expect(existsSync(join(results, 'mile-grid', 'report', file))).toBe(true);
        }
        if (sub === 'export') {
          const [header, ...rows] = run.stdout.trim().split('\n');
          expect(header).toMatch(/^trial,kind,state,/);
          expect(new Set(rows.map((r) => r.split(',')[0])).size).toBe(84);
        }
        return;
      }
      if (command.startsWith('npx tslab install ')) {
        // Into a prefix of its own rather than the user's Jupyter; python3 is Debian's, which has jupyter_client.
        const run = sh(`${command} --prefix=${quote(join(dir, 'jupyter'))}`, withDebianPython);
        expect(run.status, run.stderr).toBe(0);
        expect(existsSync(join(dir, 'jupyter', 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json'))).toBe(true);
        return;
      }
      if (command.startsWith('jupyter nbconvert ')) {
        expect(existsSync(join(repoRoot, 'dist', 'index.js')), 'dist/index.js: npm run build first (npm test does)').toBe(true);
        const run = sh(`${command} --output-dir=${quote(dir)}`, {
          ...withDebianPython,
          JUPYTER_PATH: join(dir, 'jupyter', 'share', 'jupyter'),
          JUPYTER_DATA_DIR: join(dir, 'jupyter-data'),
          JUPYTER_RUNTIME_DIR: join(dir, 'jupyter-runtime'),
          ABLATE_RESULTS: results,
        });
        expect(run.status, run.stderr).toBe(0);
        const executed = JSON.parse(readFileSync(join(dir, 'explored.ipynb'), 'utf8')) as { cells: Array<{ outputs?: Array<{ output_type: string; text?: string[] }> }> };
        const outputs = executed.cells.flatMap((c) => c.outputs ?? []);
        expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
        expect(outputs.map((o) => (o.text ?? []).join('')).join('')).toContain('using mile-grid');
        return;
      }
      throw new Error(`README command not covered by tests/readme.test.ts: ${command}`);
    });
  }
});

describe('the README tour of the sweep file', () => {
  it('is sweeps/mile-grid.json as shipped', () => {
    const tour = /## A tour of the sweep file[\s\S]*?```jsonc\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(tour).toBeDefined();
    // JSONC: drop // comments outside strings.
    const json = tour!.replace(/^((?:[^"/\n]|"(?:[^"\\\n]|\\.)*")*?)\s*\/\/.*$/gm, '$1');
    expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(join(repoRoot, 'sweeps', 'mile-grid.json'), 'utf8')));
  });
});
