import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { runSim, simSweep } from '../exec/sim-helpers.js';
import { countMarks, textsOfRole } from './helpers/svg.js';

describe('ablate report after a real run (orchestrated, simulated jobs)', () => {
  it('reports a sweep that `ablate run` filled, aggregates computed from the per-set scores', () => {
    const dir = tempDir();
    const sweep = simSweep(dir);
    const results = join(dir, 'results');
    const run = runSim(['run', sweep, '--results', results, '--quiet'], { ABLATE_SIM_EPOCH_MS: '5' });
    expect(run.status, run.stderr).toBe(0);

    const report = runSim(['report', 'sim', '--results', results, '--format', 'svg,html']);
    expect(report.stderr).toBe('');
    expect(report.status).toBe(0);
    expect(report.stdout).toContain('sim: 8 of 8 trials done');
    const out = join(results, 'sim', 'report');
    // 2 mixtures (soft, top-1) and 2 single experts, on 2 known + 1 unknown sets and 3 aggregates.
    const comparison = readFileSync(join(out, 'figures', 'comparison-eer.svg'), 'utf8');
    expect(countMarks(comparison, 'bars_')).toBe(4 * 6);
    expect(textsOfRole(comparison, 'axis-label')).toEqual(expect.arrayContaining(['moe soft', 'moe top-1', 'single lcnn/mel', 'single resnet/mel']));
    // The simulated evaluation reports one gate weight (synth:d1, expert e0) per trial.
    const heatmap = readFileSync(join(out, 'figures', 'gating-heatmap-moe-soft.svg'), 'utf8');
    expect(countMarks(heatmap, 'cells')).toBe(1);
    // Each mixture trains 2 experts then the mixture, 3 simulated epochs, loss and validation EER.
    const curves = readFileSync(join(out, 'figures', 'training-curves-moe-top-1.svg'), 'utf8');
    expect(countMarks(curves, 'epochs')).toBe(3 * 3 * 2);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('simulated (');
    expect(html).toContain('8 of 8 trials done');

    const compare = runSim(['compare', 'sim', '--results', results, '--a', 'moe soft', '--b', 'routing.mode == "topk"']);
    expect(compare.status, compare.stderr).toBe(0);
    expect(compare.stdout).toContain('over 6 pairs (2 seed(s) × 3 set(s))');
  });
});
