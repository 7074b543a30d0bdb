import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { repoRoot, runCli } from '../helpers/cli.js';

describe('sweeps/smoke.json: the shipped smoke sweep, run and reported', () => {
  it('trains every trial on the embedded corpus and renders the report from the real results', () => {
    const results = join(tempDir(), 'results');
    const run = runCli(['run', join(repoRoot, 'sweeps', 'smoke.json'), '--results', results, '--quiet']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/smoke: 4\/4 trials done/);

    const status = JSON.parse(runCli(['status', 'smoke', '--results', results, '--json']).stdout);
    expect(status.trials.done).toBe(4);
    expect(status.backends.map((b: { backend: string }) => b.backend)).toContain('wasm');
    // Feature extraction uses no TensorFlow.js backend: its attempts are not counted as "unknown".
    expect(status.backends.map((b: { backend: string }) => b.backend)).not.toContain('unknown');

    const report = runCli(['report', 'smoke', '--results', results, '--format', 'svg,html']);
    expect(report.status).toBe(0);
    const out = join(results, 'smoke', 'report');
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    const figures = readdirSync(join(out, 'figures'));
    expect(figures.some((f) => f.startsWith('comparison') && f.endsWith('.svg'))).toBe(true);
    expect(figures.some((f) => f.startsWith('gating-heatmap') && f.endsWith('.svg'))).toBe(true);
    expect(figures.some((f) => f.endsWith('.vl.json'))).toBe(true);
    const page = readFileSync(join(out, 'index.html'), 'utf8');
    expect(page).toContain('4 of 4 trials done');
    expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // self-contained
  });
});
