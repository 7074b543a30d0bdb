import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startCli } from '../helpers/cli.js';
import { fixtureStore, type FixtureStore } from '../report/helpers/fixture.js';

/**
 * Issue 15, items 1 and 8: a report first deleted every *.png, *.svg and *.vl.json in its
 * folder's figures/ (whoever wrote them), and a report killed half-way left an index.html
 * linking to figures already deleted. Now it is written into a fresh folder and renamed into
 * place, and it deletes only what a report wrote.
 */
describe('where a report is written', () => {
  let store: FixtureStore;
  beforeAll(() => {
    store = fixtureStore({ doneTrials: 10 });
  });
  afterAll(() => store?.remove());

  const report = (out: string) => runCli(['report', store.sweep, '--results', store.results, '--out', out, '--format', 'svg,html']);
  /** Every figure index.html shows exists next to it. */
  const linkedFiguresExist = (out: string): string[] => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const linked = [...new Set([...html.matchAll(/figures\/[A-Za-z0-9_.-]+\.(?:svg|png|vl\.json)/g)].map((m) => m[0]))];
    expect(linked.length).toBeGreaterThan(0);
    return linked.filter((file) => !existsSync(join(out, file)));
  };

  it('never deletes files it did not write', () => {
    const out = join(store.dir, 'mine');
    mkdirSync(join(out, 'figures'), { recursive: true });
    writeFileSync(join(out, 'figures', 'keep.svg'), '<svg/>');
    const run = report(out);
    expect(run.stderr).toContain(`${out}: holds files an ablate report did not write (figures/keep.svg)`);
    expect(run.status).toBe(2);
    expect(readFileSync(join(out, 'figures', 'keep.svg'), 'utf8')).toBe('<svg/>');
    expect(readdirSync(store.dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('replaces its own earlier report whole, and a kill -9 half-way leaves the earlier one intact', async () => {
    const out = join(store.dir, 'report');
    const first = report(out);
    expect(first.status).toBe(0);
    expect(existsSync(join(out, '.ablate-report.json'))).toBe(true);
    const stale = join(out, 'figures', 'no-longer-drawn.svg');
    // A figure an earlier report wrote for a configuration that no longer exists.
    writeFileSync(stale, '<svg/>');
    const manifest = JSON.parse(readFileSync(join(out, '.ablate-report.json'), 'utf8')) as { files: string[] };
    writeFileSync(join(out, '.ablate-report.json'), JSON.stringify({ ...manifest, files: [...manifest.files, 'figures/no-longer-drawn.svg'] }));
    const figuresBefore = readdirSync(join(out, 'figures')).length;
    // Killed as soon as the report has visibly started to change anything next to or in its folder.
    const child = startCli(['report', store.sweep, '--results', store.results, '--out', out, '--format', 'svg,html']);
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const started = readdirSync(store.dir).some((f) => f.startsWith('.report.')) || readdirSync(join(out, 'figures')).length < figuresBefore;
        if (started || child.exitCode !== null) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    await exited;
    expect(linkedFiguresExist(out)).toEqual([]);
    // The next report cleans up after the killed one and replaces the earlier report.
    const again = report(out);
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(linkedFiguresExist(out)).toEqual([]);
    expect(existsSync(stale)).toBe(false);
    expect(readdirSync(store.dir).filter((f) => f.startsWith('.report.'))).toEqual([]);
  });
});
