import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { openDb } from '../exec/sim-helpers.js';
import { runAblate, tinyData, trainerSweep } from './helpers.js';

// Debian's interpreter has torch and torchaudio here; the python3 first on PATH may not.
const python = process.env['ABLATE_PYTHON'] ?? '/usr/bin/python3';
const hasTorch = spawnSync(python, ['-c', 'import torch, torchaudio'], { timeout: 60_000 }).status === 0;

describe.skipIf(!hasTorch)(`a real PyTorch trainer (${python})`, () => {
  it('trains experts and a mixture through the protocol, and ablate scores its files', () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const trainer = { name: 'torch-tiny', command: ['${ABLATE_PYTHON}', join(repoRoot, 'tests', 'fixtures', 'trainers', 'torch_tiny.py')] };
    const sweep = trainerSweep(dir, 'torch', trainer, {
      grid: {},
      seeds: [0],
      base: {
        experts: [
          { arch: 'lcnn', features: { kind: 'mel', nMels: 24 } },
          { arch: 'resnet', features: { kind: 'mel', nMels: 32 } },
        ],
        pretrain: { epochs: 3, lr: 0.003 },
        train: { epochs: 2, lr: 0.003 },
        data: { ...tinyData, datasets: { synth: { adapter: 'synth', options: { trainPerClass: 12, devPerClass: 4, evalPerClass: 6 } } } },
        trainer,
      },
    });
    const run = runAblate(['run', sweep, '--results', results, '--quiet'], { ABLATE_PYTHON: python });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('3/3 trials done');
    const db = openDb(results);
    const eers = db.prepare("SELECT dataset, value FROM scores WHERE metric = 'eer' AND dataset NOT LIKE '\\_\\_%' ESCAPE '\\'").all() as Array<{ dataset: string; value: number }>;
    const gates = db.prepare('SELECT COUNT(*) AS n FROM gate_weights').get() as { n: number };
    const epochs = db.prepare("SELECT COUNT(*) AS n FROM epoch_metrics WHERE name = 'valEer'").get() as { n: number };
    db.close();
    // The mixture, and the two single experts: 3 evaluation sets each.
    expect(eers).toHaveLength(3 * 3);
    expect(eers.every((row) => row.value >= 0 && row.value <= 1)).toBe(true);
    expect(gates.n).toBe(3 * 2);
    expect(epochs.n).toBe(2 * 3 + 2);
  }, 300_000);
});
