import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tsxLoader } from '../helpers/cli.js';
import { countMarks, markTexts } from './helpers/svg.js';
import { fixtureStore, storedTrials, type FixtureStore } from './helpers/fixture.js';

interface NotebookCell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string[] | string;
}

const notebooks = readdirSync(join(repoRoot, 'notebooks')).filter((f) => f.endsWith('.ipynb'));

/**
 * The notebook's code cells, in order, as one ES module: what a kernel would run cell by
 * cell. Imports of the sources ('../src/...') are pointed at the repository so the module
 * can live in a temp folder.
 */
function notebookModule(file: string): string {
  const notebook = JSON.parse(readFileSync(join(repoRoot, 'notebooks', file), 'utf8')) as { cells: NotebookCell[] };
  const src = pathToFileURL(join(repoRoot, 'src')).href;
  return notebook.cells
    .filter((c) => c.cell_type === 'code')
    .map((c, i) => `// --- cell ${i + 1} ---\n${Array.isArray(c.source) ? c.source.join('') : c.source}`)
    .join('\n\n')
    .replace(/(['"])\.\.\/src\//g, `$1${src}/`);
}

describe('notebooks', () => {
  let store: FixtureStore;
  beforeAll(() => {
    store = fixtureStore();
  });
  afterAll(() => store?.remove());

  it('there is at least one notebook, with TypeScript cells for a TypeScript kernel', () => {
    expect(notebooks.length).toBeGreaterThan(0);
    for (const file of notebooks) {
      const notebook = JSON.parse(readFileSync(join(repoRoot, 'notebooks', file), 'utf8')) as { metadata: { language_info: { name: string } } };
      expect(notebook.metadata.language_info.name).toBe('typescript');
    }
  });

  it.each(notebooks)('%s runs cell by cell against a fixture store and shows its figures', (file) => {
    const dir = join(store.dir, file.replace(/\W+/g, '-'));
    const out = join(dir, 'out');
    mkdirSync(out, { recursive: true });
    const module = join(dir, 'notebook.mts');
    writeFileSync(module, notebookModule(file));
    const run = spawnSync(process.execPath, ['--import', tsxLoader, module], {
      cwd: join(repoRoot, 'notebooks'),
      env: { ...process.env, ABLATE_RESULTS: store.results, ABLATE_SWEEP: store.sweep, ABLATE_NOTEBOOK_OUT: out },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`using ${store.sweep}`);
    if (file !== 'explore-results.ipynb') return;
    // The custom figure: one point per finished trial (its EER over all sets).
    const seeds = readFileSync(join(out, 'seed-eer.svg'), 'utf8');
    const done = storedTrials(store.results, store.sweep).filter((t) => t.done).length;
    expect(done).toBe(store.trials);
    const points = /<g class="mark-symbol role-mark marks"[^>]*>([\s\S]*?)<\/g>/.exec(seeds)?.[1] ?? '';
    expect((points.match(/role="graphics-symbol"/g) ?? []).length).toBe(done);
    // The gating heatmap, retitled in the notebook: 3 sets x 3 experts.
    const heatmap = readFileSync(join(out, 'gating-heatmap.svg'), 'utf8');
    expect(countMarks(heatmap, 'cells')).toBe(9);
    expect(markTexts(heatmap, 'weights')).toHaveLength(9);
    expect(heatmap).toContain(`Gating of ${store.sweep}`);
  });
});
