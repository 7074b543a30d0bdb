import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

/**
 * The guards `npm run lint` runs (issue 14): typescript-eslint with unused variables an
 * error, and dependency-cruiser's layer rules (.dependency-cruiser.cjs), which src passes with no
 * exception.
 */

const depcruise = join(repoRoot, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation { rule: string; from: string; to: string }

/** Runs dependency-cruiser as `npm run lint:layers` does (without the baseline) and returns its violations. */
function cruise(cwd: string): { status: number | null; violations: Violation[] } {
  const run = spawnSync(process.execPath, [depcruise, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw run.error;
  const output = JSON.parse(run.stdout) as { summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> } };
  return { status: run.status, violations: output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to })) };
}

const asText = (violations: Violation[]): string[] => violations.map((v) => `${v.rule}: ${v.from} -> ${v.to}`).sort();

describe('layer rules', () => {
  it('fail on upward imports, cross imports between peers, job implementations outside exec/runners and file cycles; pass downward imports', () => {
    const dir = tempDir('ablate-layers-');
    copyFileSync(join(repoRoot, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    copyFileSync(join(repoRoot, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const files: Record<string, string[]> = {
      'util/rng.ts': [],
      'config/schema.ts': ['../util/rng.js'],
      'search/plan.ts': ['../config/schema.js'],
      'protocol/records.ts': ['../search/plan.js'],
      'store/queries.ts': ['../protocol/records.js'],
      'data/item.ts': ['../store/queries.js'], // peers: data must not read the store
      'metrics/a.ts': ['./b.js'],
      'metrics/b.ts': ['./a.js'], // a file cycle
      'nn/step-seed.ts': ['../util/rng.js'],
      'train/train-loop.ts': ['../nn/step-seed.js'],
      'experts/dropout.ts': ['../nn/step-seed.js'], // the nn primitives sit below the experts
      'experts/lcnn.ts': ['../train/train-loop.js'], // the training loop does not
      'search/normalise.ts': ['../experts/lcnn.js'], // defaults belong to config, not to the models
      'jobs/evaluate-job.ts': ['../train/train-loop.js', '../protocol/records.js'],
      'exec/runners/production.ts': ['../../jobs/evaluate-job.js'],
      'exec/pool.ts': ['../jobs/evaluate-job.js', '../protocol/records.js'], // only runners/ may
      'status/sweep-status.ts': ['../store/queries.js'],
      'report/figures.ts': ['../store/queries.js', '../status/sweep-status.js', '../exec/pool.js'], // the report reads the store, never the executor
      'cli/run.ts': ['../exec/pool.js', '../report/figures.js'],
      'jobs/scoring.ts': ['../store/queries.js'], // jobs may take the store's record types, not its code
    };
    for (const [file, imports] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, 'src', file)), { recursive: true });
      const lines = imports.map((target, i) => `import * as m${i} from '${target}';\nexport const use${i} = m${i};`);
      writeFileSync(join(dir, 'src', file), `${lines.join('\n')}\nexport const here = 1;\n`);
    }
    writeFileSync(join(dir, 'src', 'jobs/epochs.ts'), "import type { here } from '../store/queries.js';\nexport const epochs: typeof here = 1;\n");
    const { status, violations } = cruise(dir);
    expect(asText(violations)).toEqual(
      [
        'exec-runs-jobs-by-name: src/exec/pool.ts -> src/jobs/evaluate-job.ts',
        'layer-data-to-store: src/data/item.ts -> src/store/queries.ts',
        'layer-experts-to-train: src/experts/lcnn.ts -> src/train/train-loop.ts',
        'layer-search-to-experts: src/search/normalise.ts -> src/experts/lcnn.ts',
        'layer-jobs-to-store: src/jobs/scoring.ts -> src/store/queries.ts',
        'layer-report-to-exec: src/report/figures.ts -> src/exec/pool.ts',
        'no-circular: src/metrics/a.ts -> src/metrics/b.ts',
      ].sort(),
    );
    expect(status).toBe(0); // the json reporter leaves failing to its caller; the err one (npm run lint:layers) does not
    const err = spawnSync(process.execPath, [depcruise, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: dir, encoding: 'utf8' });
    expect(err.status).toBe(violations.length);
    expect(err.stdout).toContain('error layer-report-to-exec: src/report/figures.ts → src/exec/pool.ts');
  }, 120_000);

  it('src has no violation', () => {
    // Fix the import (docs/ARCHITECTURE.md, "Layer rules"): move the shared part down, or the caller up.
    expect(asText(cruise(repoRoot).violations)).toEqual([]);
  }, 120_000);
});

describe('eslint', () => {
  it('reports an unused variable or import as an error, unless its name starts with _', async () => {
    const eslint = new ESLint({ cwd: repoRoot });
    const code = "import { join } from 'node:path';\nconst unused = 1;\nconst _kept = 2;\nexport function f(_a: number, b: number): number {\n  return b;\n}\n";
    const [result] = await eslint.lintText(code, { filePath: join(repoRoot, 'src', 'lint-probe.ts') });
    const unused = result!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-unused-vars');
    expect(unused.map((m) => [m.line, m.severity])).toEqual([
      [1, 2],
      [2, 2],
    ]);
  }, 60_000);
});

/** One naming convention for TypeScript and JavaScript files: kebab-case (`job-graph.ts`). Python files keep Python's snake_case. */
describe('file names', () => {
  it('are kebab-case in src/, tests/, bench/ and scripts/ (lower case, digits, hyphens; dots before the extension)', () => {
    const files = ['src', 'tests', 'bench', 'scripts']
      .flatMap((folder) => readdirSync(join(repoRoot, folder), { recursive: true, encoding: 'utf8' }).map((file) => `${folder}/${file}`))
      .filter((file) => /\.(ts|mts|js|mjs|cjs)$/.test(file) && !file.startsWith('tests/fixtures/'));
    expect(files.filter((file) => !/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/.test(file.split('/').pop()!))).toEqual([]);
    expect(files.length).toBeGreaterThan(300);
  });
});

/** Folders of tests/ that test no one src/ folder: shared helpers and fixtures, and hostile inputs driven end to end through the CLI. */
const TEST_ONLY_FOLDERS = ['fixtures', 'helpers', 'hardening'];

describe('tests/ is laid out like src/', () => {
  it('every folder of tests/ (with its subfolders) names a folder of src/, or is a shared one', () => {
    // Folders that hold files (git keeps no empty ones).
    const folders = [...new Set(readdirSync(join(repoRoot, 'tests'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => (entry.parentPath ?? entry.path).slice(join(repoRoot, 'tests').length + 1))
      .filter((folder) => folder !== ''))]
      .filter((folder) => !TEST_ONLY_FOLDERS.includes(folder.split('/')[0]!) && !/(^|\/)(support|fixtures|helpers)(\/|$)/.test(folder));
    const src = new Set(readdirSync(join(repoRoot, 'src'), { recursive: true, withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(e.parentPath ?? e.path, e.name).slice(join(repoRoot, 'src').length + 1)));
    expect(folders.filter((folder) => !src.has(folder))).toEqual([]);
  });
});
