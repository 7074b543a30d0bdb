import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTorchPython } from './support/python.js';

const found = findTorchPython(['torch']);
if (found.python === null) console.warn(`skipping the PyTorch recipe-loop test: ${found.reason}`);

/**
 * The PyTorch trainer's loop breaks best-epoch ties as the built-in's does
 * (tests/train/recipe-knobs.test.ts scripts the same validation figures): epochs 0, 1 and 3
 * tie on EER, epoch 3 has the lowest loss. The loop reports epochs 1-based.
 */
const SCRIPT = `
import json, tempfile, torch
from ablate_torch.loop import train_loop, hyper_params
class Events:
    def progress(self, **kwargs): pass
    def epoch(self, *args): pass
class Stop:
    requested = False
def best(tie):
    model = torch.nn.Linear(2, 2)
    hp = hyper_params({'epochs': 4, 'batchSize': 2, 'monitor': 'eer', 'patience': 9, **({'tieBreak': tie} if tie else {})})
    eers, losses = [0.25, 0.25, 0.3, 0.25], [0.6, 0.7, 0.1, 0.4]
    out = train_loop(model=model, parameters=list(model.parameters()), hp=hp, seed=1, labels=[1, 0, 1, 0],
                     step_loss=lambda rows, e: model(torch.ones(len(rows), 2)).sum(), validate=lambda e: {'loss': losses[e], 'eer': eers[e]},
                     checkpoint_dir=tempfile.mkdtemp(), fingerprint='x', events=Events(), stop=Stop())
    return out['bestEpoch']
print(json.dumps({'loss': best('loss'), 'first': best('first'), 'default': best(None)}))
`;

describe.skipIf(found.python === null)('PyTorch trainer: training.tieBreak', () => {
  it("'loss' takes the tied epoch with the lower validation loss; 'first' and the default keep the earliest", () => {
    const run = spawnSync(found.python as string, ['-c', SCRIPT], { cwd: join(import.meta.dirname, '../../trainers/pytorch'), encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const last = run.stdout.trim().split('\n').at(-1) as string;
    expect(JSON.parse(last)).toEqual({ loss: 4, first: 1, default: 1 });
  });
});
