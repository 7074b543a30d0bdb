import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { knownSets, unknownSets } from '../fixtures/report/synthetic-store.js';
import { countMarks, textsOfRole } from './helpers/svg.js';
import { fixtureStore, groupBy, storedTrials, type FixtureStore } from './helpers/fixture.js';

describe('ablate report on a partial sweep', () => {
  let store: FixtureStore;
  beforeAll(() => {
    store = fixtureStore({ doneTrials: 10 });
  });
  afterAll(() => store?.remove());

  it('renders what exists and says "n of N trials done" on every figure and the page', () => {
    const out = join(store.dir, 'partial-report');
    const result = runCli(['report', store.sweep, '--results', store.results, '--out', out, '--format', 'svg,html']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`10 of ${store.trials} trials done`);
    const svgs = readdirSync(join(out, 'figures')).filter((f) => f.endsWith('.svg'));
    expect(svgs.length).toBeGreaterThan(5);
    // --format svg,html: no PNGs.
    expect(readdirSync(join(out, 'figures')).filter((f) => f.endsWith('.png'))).toEqual([]);
    for (const file of svgs) {
      const svg = readFileSync(join(out, 'figures', file), 'utf8');
      expect(textsOfRole(svg, 'title-subtitle').join(' '), file).toContain(`10 of ${store.trials} trials done`);
    }
    // Only configurations with a finished seed appear: 4 mixtures (the last with one seed), no baselines yet.
    const done = storedTrials(store.results, store.sweep).filter((t) => t.done);
    const withResults = groupBy(done, (t) => t.configuration).size;
    expect(withResults).toBe(4);
    const comparison = readFileSync(join(out, 'figures', 'comparison-eer.svg'), 'utf8');
    expect(countMarks(comparison, 'bars_')).toBe(withResults * (knownSets.length + unknownSets.length + 3));
    // Curves show training that finished even where evaluation has not: the single experts'
    // pre-training jobs are shared with the finished mixtures, so all 7 configurations have curves.
    expect(svgs.filter((f) => f.startsWith('training-curves-'))).toHaveLength(7);
    // 4 mixtures (2 soft, 2 top-1) and an average per routing family.
    expect(svgs.filter((f) => f.startsWith('gating-heatmap-'))).toHaveLength(6);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain(`10 of ${store.trials} trials done`);
    const markdown = readFileSync(join(out, 'tables', 'results.md'), 'utf8');
    expect(markdown).toContain(`10 of ${store.trials} trials done`);
    expect(markdown.split('\n').filter((l) => l.startsWith('| moe'))).toHaveLength(4);
  });
});

describe('ablate report on a sweep with nothing finished', () => {
  let store: FixtureStore;
  beforeAll(() => {
    store = fixtureStore({ doneTrials: 0 });
  });
  afterAll(() => store?.remove());

  it('does not crash: writes the page with "0 of N trials done" under <results>/<sweep>/report', () => {
    const result = runCli(['report', store.sweepFile, '--results', store.results]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const out = join(store.results, store.sweep, 'report');
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain(`0 of ${store.trials} trials done`);
    expect(html).toContain('No figures yet');
    expect(readdirSync(join(out, 'figures'))).toEqual([]);
    expect(readFileSync(join(out, 'tables', 'results.tex'), 'utf8')).toContain('\\bottomrule');
  });

  it('bad options are user errors with exit code 2 and no stack trace', () => {
    for (const [args, message] of [
      [['--format', 'svg,pdf'], /--format "svg,pdf": expected a comma-separated list of svg, png, html/],
      [['--interaction', 'gate.type'], /--interaction "gate.type": expected two swept factors/],
      [['--interaction', 'gate.type,nope'], /nope is not a swept factor of report-fixture\. Swept factors: kind, expertSet/],
    ] as const) {
      const result = runCli(['report', store.sweep, '--results', store.results, ...args]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    const missing = runCli(['report', 'no-such-sweep', '--results', store.results]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no-such-sweep: neither a sweep file nor a sweep in the results store. Sweeps in this store: report-fixture.');
    const noStore = runCli(['report', 'x', '--results', join(store.dir, 'nothing-here')]);
    expect(noStore.status).toBe(2);
    expect(noStore.stderr).toContain('no results database here');
  });
});
