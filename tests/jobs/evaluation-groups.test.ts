import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { tempDir } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';
import { tinyData, tinyLcnn, tinySweep, tinyTraining } from './tiny-sweeps.js';


function sweep(dir: string, evaluate: Record<string, unknown>): string {
  return tinySweep(dir, 'groups', { kind: 'single', experts: [tinyLcnn], pretrain: { ...tinyTraining, epochs: 1 }, data: { ...tinyData, evaluate } });
}

type Row = { dataset: string; group: string; metrics: Record<string, number | null> };

describe('evaluation groups and breakdowns (issue 16, item 2; real training)', () => {
  it('stores named groups (an item two sets share pooled once) and per-attack metrics; export, tables and the report show them', () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const file = sweep(dir, {
      known: ['synth:d1', 'synth:d2'],
      // `synth` (every domain's eval split) contains the items of synth:d1: the two sets overlap.
      unknown: ['synth:d5', 'synth'],
      groups: { seen: ['synth:d1', 'synth:d2'], 'd1-and-all': ['synth:d1', 'synth'], unseen: ['synth:d5'] },
      breakdown: ['attack', 'nosuchcolumn'],
    });
    const run = runCli(['run', file, '--results', results, '--backend', 'wasm', '--workers', '1', '--quiet']);
    expect(run.status, run.stderr).toBe(0);
    const out = runCli(['export', 'groups', '--results', results, '--format', 'json']);
    expect(out.status, out.stderr).toBe(0);
    const rows = JSON.parse(out.stdout) as Row[];
    const row = (dataset: string) => rows.find((r) => r.dataset === dataset) as Row;

    // A group of the same sets as `known` has the same mean and pooled metrics.
    expect(row('__group:seen__').metrics).toEqual(row('__known__').metrics);
    expect(row('__group:seen__').group).toBe('group');
    // synth:d1's items are all in `synth`: pooled once, the group is `synth` itself.
    expect(row('__group:d1-and-all__').metrics['pooledEer']).toBe(row('synth').metrics['eer']);
    expect(row('__group:d1-and-all__').metrics['eer']).toBeCloseTo(((row('synth:d1').metrics['eer'] as number) + (row('synth').metrics['eer'] as number)) / 2, 12);
    expect(row('__group:unseen__').metrics['eer']).toBe(row('synth:d5').metrics['eer']);

    // Per attack within `synth`: each attack's spoofed items against all the set's bona fide items.
    const attacks = rows.filter((r) => r.dataset.startsWith('synth [attack='));
    expect(attacks.length).toBeGreaterThanOrEqual(3);
    expect(attacks.every((r) => r.group === 'breakdown')).toBe(true);
    expect(attacks.every((r) => r.metrics['nBonafide'] === row('synth').metrics['nBonafide'])).toBe(true);
    expect(attacks.reduce((n, r) => n + (r.metrics['nSpoof'] as number), 0)).toBe(row('synth').metrics['nSpoof']);

    const report = runCli(['report', 'groups', '--results', results, '--format', 'html']);
    expect(report.status, report.stderr).toBe(0);
    const tables = join(results, 'groups', 'report', 'tables');
    const markdown = readFileSync(join(tables, 'results.md'), 'utf8');
    // Group means are marked as such, never spelled like a set.
    expect(markdown).toContain('seen (mean)');
    expect(markdown).toContain('known (mean)');
    const breakdown = readFileSync(join(tables, 'breakdown-attack.md'), 'utf8');
    for (const r of attacks) expect(breakdown).toContain(r.dataset.replace(/^synth \[attack=(.*)\]$/, '$1'));
    const page = readFileSync(join(results, 'groups', 'report', 'index.html'), 'utf8');
    expect(page).toContain('id="breakdown-attack"');
    // A declared column no item carries: a table that says so, not a silent absence.
    expect(readFileSync(join(tables, 'breakdown-nosuchcolumn.md'), 'utf8')).toContain('No evaluated item carries a "nosuchcolumn" column');
    expect(page).toContain('synth attack=');
  });

  it('refuses a group member that is not an evaluation set, naming where', () => {
    const dir = tempDir();
    const file = sweep(dir, { known: ['synth:d1'], groups: { seen: ['synth:d1', 'synth:d3'] } });
    const plan = runCli(['plan', file]);
    expect(plan.status).toBe(2);
    expect(plan.stderr).toContain('/data/evaluate/groups/seen/1');
    expect(plan.stderr).toContain('"synth:d3" is not an evaluation set');
    expect(plan.stderr).not.toMatch(/\n\s+at /);
  });
});
