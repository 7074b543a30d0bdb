import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/nn/backend.js';
import { tempDir } from '../helpers/tmp.js';
import { exportReferenceCases } from './support/export-reference.js';
import { findTorchPython } from './support/python.js';

const TOLERANCE = 1e-4;
/** Log features (float32 in both, different FFTs) are held to the golden fixtures' bound instead. */
const FEATURE_TOLERANCE = 1e-2;
const found = findTorchPython(['torch']);
if (found.python === null) console.warn(`skipping the PyTorch equivalence test: ${found.reason}`);

beforeAll(async () => {
  await initBackend('cpu');
});

/**
 * The PyTorch trainer's models against the built-in's: every expert architecture, both
 * gates with standard (spectral and waveform) and enhanced input, three routings, and three
 * mixtures (loss terms included) get the built-in's weights and input and must give its
 * outputs within 1e-4. The control run (the same models left at their own initial
 * weights) must not, so the match comes from the loaded weights.
 */
describe.skipIf(found.python === null)('PyTorch trainer equivalence', () => {
  it('gives the built-in outputs from the built-in weights (max abs difference <= 1e-4), and the same features', () => {
    const dir = tempDir('ablate-equivalence-');
    const cases = exportReferenceCases(dir);
    const run = spawnSync(found.python as string, ['-m', 'ablate_torch.compare', dir], {
      cwd: join(import.meta.dirname, '../../trainers/pytorch'),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { torch: string; cases: Record<string, Record<string, number>>; control: Record<string, Record<string, number>> };
    expect(Object.keys(result.cases).sort()).toEqual(cases.map((c) => c.name).sort());
    expect(cases.filter((c) => c.kind === 'expert').map((c) => (c.config['spec'] as { arch: string }).arch)).toEqual(expect.arrayContaining(['lcnn', 'resnet', 'sincnet']));
    const worst: Record<string, number> = {};
    for (const c of cases) {
      const diffs = result.cases[c.name] as Record<string, number>;
      expect(Object.keys(diffs).sort(), c.name).toEqual([...c.outputs].sort());
      for (const [output, diff] of Object.entries(diffs)) {
        // Draws (crop windows, batch rows) are integers: identical or wrong.
        expect(diff, `${c.name} ${output}`).toBeLessThanOrEqual(c.kind === 'features' ? FEATURE_TOLERANCE : c.kind === 'draws' ? 0 : TOLERANCE);
      }
      worst[c.name] = Math.max(...Object.values(diffs));
      const control = Math.max(...Object.values(result.control[c.name] as Record<string, number>).filter(Number.isFinite));
      expect(control, `${c.name} without the built-in weights (or with another pre-emphasis, seed)`).toBeGreaterThan(c.kind === 'features' ? 10 * FEATURE_TOLERANCE : c.kind === 'draws' ? 0.5 : 100 * TOLERANCE);
    }
    console.info(`torch ${result.torch}: worst max abs difference per case ${JSON.stringify(worst)}`);
  });
});
