import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';
import { tinyLcnn, tinySweep, tinyTraining } from './tiny-sweeps.js';


describe('a probe trial, run for real', () => {
  it('trains the shortcut probe on the same splits and shows it beside the detector on every evaluation set', () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const sweep = tinySweep(
      dir,
      'probe-run',
      { kind: 'single', experts: [tinyLcnn], pretrain: { ...tinyTraining, epochs: 1 } },
      { include: [{ kind: 'probe' }] },
    );
    const run = runCli(['run', sweep, '--results', results, '--quiet']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/probe-run: 2\/2 trials done/);

    const rows = JSON.parse(runCli(['export', 'probe-run', '--results', results, '--format', 'json']).stdout) as Array<{ kind: string; dataset: string; metrics: { eer: number; nBonafide?: number; nSpoof?: number } }>;
    const sets = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.dataset).sort();
    // The same evaluation sets and aggregates as the detector, on the same items.
    expect(sets('probe')).toEqual(sets('single'));
    expect(sets('probe')).toEqual(['__all__', '__known__', '__unknown__', 'synth:d1', 'synth:d2', 'synth:d5']);
    for (const set of ['synth:d1', 'synth:d5']) {
      const probe = rows.find((r) => r.kind === 'probe' && r.dataset === set);
      const single = rows.find((r) => r.kind === 'single' && r.dataset === set);
      expect(probe?.metrics.nBonafide).toBe(single?.metrics.nBonafide);
      expect(probe?.metrics.nSpoof).toBe(single?.metrics.nSpoof);
      expect(probe?.metrics.eer).toBeGreaterThanOrEqual(0);
    }

    const probeDir = readdirSync(join(results, 'jobs')).find((d) => d.startsWith('probe-')) as string;
    const model = JSON.parse(readFileSync(join(results, 'jobs', probeDir, 'probe.json'), 'utf8')) as { features: string[]; weights: number[]; scale: number[] };
    expect(model.features).toEqual(['duration', 'rmsDb', 'leadingSilence', 'spectralCentroid']);
    expect(model.weights).toHaveLength(5);
    // Whole files, not the 0.5 s clips the detector sees: the embedded corpus's durations vary.
    expect(model.scale[0]).toBeGreaterThan(0.01);

    const status = JSON.parse(runCli(['status', 'probe-run', '--results', results, '--json']).stdout) as { backends: Array<{ backend: string }> };
    // The probe uses no TensorFlow.js backend.
    expect(status.backends.map((b) => b.backend)).not.toContain('unknown');

    expect(runCli(['report', 'probe-run', '--results', results, '--format', 'svg']).status).toBe(0);
    const table = readFileSync(join(results, 'probe-run', 'report', 'tables', 'results.md'), 'utf8');
    expect(table).toMatch(/^\| shortcut probe \|/m);
    expect(table).toMatch(/^\| single \|/m);
  });
});
