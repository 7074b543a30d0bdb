import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { countMarks, markTexts } from './helpers/svg.js';
import { fixtureStore, storedTrials, type FixtureStore } from './helpers/fixture.js';

/**
 * The notebooks run in a real Jupyter kernel: `jupyter nbconvert --execute` starts tslab (a
 * TypeScript kernel on Node, a dev dependency) from a kernelspec this test writes into its
 * own JUPYTER_PATH, so neither CI nor a developer needs a globally installed kernel. Any
 * cell error fails nbconvert and so the test. The cells import dist/index.js (the package's
 * public API), so the package must be built first (`npm test` builds).
 */

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
}

const notebooks = readdirSync(join(repoRoot, 'notebooks')).filter((f) => f.endsWith('.ipynb'));
const jupyter = ['/usr/bin/jupyter', 'jupyter'].find((bin) => spawnSync(bin, ['nbconvert', '--version'], { encoding: 'utf8' }).status === 0);
const built = existsSync(join(repoRoot, 'dist', 'index.js'));
// CI installs nbconvert (.ci/run) and builds (npm test): there a missing one is a failure, not a skip.
const runNotebooks = Boolean(process.env['CI']) || Boolean(jupyter && built);
const text = (value: string | string[] | undefined): string => (Array.isArray(value) ? value.join('') : (value ?? ''));

/** A kernelspec for tslab run by this Node, in a folder used as JUPYTER_PATH. */
function tslabKernelspec(dir: string): string {
  const tslab = join(createRequire(join(repoRoot, 'package.json')).resolve('tslab/package.json'), '..', 'bin', 'tslab');
  const kernels = join(dir, 'kernels', 'tslab');
  mkdirSync(kernels, { recursive: true });
  const spec = { argv: [process.execPath, tslab, 'kernel', '--config-path', '{connection_file}'], display_name: 'TypeScript', language: 'typescript' };
  writeFileSync(join(kernels, 'kernel.json'), JSON.stringify(spec, null, 2));
  return dir;
}

describe('notebooks', () => {
  let store: FixtureStore;
  beforeAll(() => {
    store = fixtureStore();
  });
  afterAll(() => store?.remove());

  it('there is at least one notebook, for the tslab TypeScript kernel', () => {
    expect(notebooks.length).toBeGreaterThan(0);
    for (const file of notebooks) {
      const notebook = JSON.parse(readFileSync(join(repoRoot, 'notebooks', file), 'utf8')) as {
        metadata: { kernelspec: { name: string }; language_info: { name: string } };
        cells: Cell[];
      };
      expect(notebook.metadata.kernelspec.name).toBe('tslab');
      expect(notebook.metadata.language_info.name).toBe('typescript');
      // Only the public API: no deep imports into src/ or dist/.
      for (const cell of notebook.cells.filter((c) => c.cell_type === 'code')) {
        for (const [, from] of text(cell.source).matchAll(/from '([^']+)'/g)) expect(from).toMatch(/^(tslab|node:.*|\.\.\/dist\/index\.js)$/);
      }
    }
  });

  it.runIf(built)('the public API loads from CommonJS, as tslab compiles cells (nothing in its graph awaits at top level)', () => {
    const load = spawnSync(process.execPath, ['-e', `const api = require(${JSON.stringify(join(repoRoot, 'dist', 'index.js'))}); console.log(Object.keys(api).sort().join(' '))`], {
      cwd: join(repoRoot, 'notebooks'),
      encoding: 'utf8',
    });
    expect(load.status, load.stderr).toBe(0);
    expect(load.stderr).not.toMatch(/ERR_REQUIRE/);
    const names = load.stdout.trim().split(' ');
    for (const name of ['planFromFile', 'openDatabase', 'runSweep', 'loadReportData', 'writeReport', 'resultRows', 'renderSvg']) expect(names).toContain(name);
  });

  const why = jupyter ? (built ? '' : ' (skipped here: dist/ is not built; npm test builds it)') : ' (skipped here: no jupyter nbconvert; apt-get install jupyter-nbconvert python3-ipykernel)';
  it.runIf(runNotebooks).each(notebooks)(`%s executes through Jupyter (nbconvert, tslab kernel) against a finished store${why}`, (file) => {
    expect(jupyter, 'jupyter nbconvert is not installed (apt-get install jupyter-nbconvert python3-ipykernel)').toBeDefined();
    expect(built, 'dist/index.js is missing: npm run build').toBe(true);
    const dir = join(store.dir, file.replace(/\W+/g, '-'));
    const jupyterPath = tslabKernelspec(join(dir, 'jupyter'));
    const executed = join(dir, 'executed.ipynb');
    const run = spawnSync(
      jupyter!,
      ['nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.timeout=300', `--output=${executed}`, join(repoRoot, 'notebooks', file)],
      {
        cwd: repoRoot,
        env: { ...process.env, JUPYTER_PATH: jupyterPath, JUPYTER_DATA_DIR: join(dir, 'data'), JUPYTER_RUNTIME_DIR: join(dir, 'runtime'), ABLATE_RESULTS: store.results, ABLATE_SWEEP: store.sweep },
        encoding: 'utf8',
        timeout: 300_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const cells = (JSON.parse(readFileSync(executed, 'utf8')) as { cells: Cell[] }).cells.filter((c) => c.cell_type === 'code');
    const outputs = cells.flatMap((c) => c.outputs ?? []);
    expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
    // tslab prints type errors and exceptions to stderr: none may appear.
    expect(outputs.filter((o) => o.output_type === 'stream' && o.name === 'stderr').map((o) => text(o.text))).toEqual([]);
    const stdout = outputs.filter((o) => o.output_type === 'stream').map((o) => text(o.text)).join('');
    expect(stdout).toContain(`using ${store.sweep}`);
    if (file !== 'explore-results.ipynb') return;
    const svgs = outputs.filter((o) => o.output_type === 'display_data' && o.data?.['image/svg+xml']).map((o) => text(o.data!['image/svg+xml']));
    expect(svgs).toHaveLength(2);
    // The custom figure: one point per finished trial (its EER over all sets).
    const done = storedTrials(store.results, store.sweep).filter((t) => t.done).length;
    expect(done).toBe(store.trials);
    expect(stdout).toContain(`${done} finished trials`);
    const points = /<g class="mark-symbol role-mark marks"[^>]*>([\s\S]*?)<\/g>/.exec(svgs[0]!)?.[1] ?? '';
    expect((points.match(/role="graphics-symbol"/g) ?? []).length).toBe(done);
    // The gating heatmap, retitled in the notebook: 3 sets x 3 experts.
    const heatmap = svgs[1]!;
    expect(countMarks(heatmap, 'cells')).toBe(9);
    expect(markTexts(heatmap, 'weights')).toHaveLength(9);
    expect(heatmap).toContain(`Gating of ${store.sweep}`);
  });
});
