import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';
import { writeSweep } from '../search/sweep-fixtures.js';

const logspec = { kind: 'logspec', nFft: 512, winLength: 400, hopLength: 160, window: 'hann' };

function sweepFile(dir: string, batchSize: number): string {
  return writeSweep(dir, {
    name: 'big-resnet',
    base: {
      kind: 'single',
      experts: [{ arch: 'resnet', width: 1, features: logspec }, { arch: 'lcnn', width: 0.25, features: logspec }],
      pretrain: { batchSize },
      data: { clipSeconds: 1, datasets: { synth: { adapter: 'synth' } }, train: ['synth:d1'], evaluate: { known: ['synth:d1'] } },
    },
  });
}

describe('memory before it bites', () => {
  it('ablate plan shows every training job\'s estimate and marks the one that cannot fit', () => {
    const dir = tempDir();
    const text = runCli(['plan', sweepFile(dir, 32)]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/Memory \(estimated peak of each training job.*4 GiB/);
    expect(text.stdout).toMatch(/pretrain resnet\/logspec seed 0 +batch +32 +[\d.]+ GiB +WILL NOT FIT/);
    expect(text.stdout).toMatch(/pretrain lcnn\/logspecx0.25 seed 0 +batch +32 +[\d.]+ [MG]iB\n/);
    const json = JSON.parse(runCli(['plan', sweepFile(dir, 32), '--json']).stdout) as { memory: { backend: string; limitBytes: number; jobs: Array<{ label: string; bytes: number; verdict: string }> } };
    expect(json.memory.backend).toBe('wasm');
    expect(json.memory.jobs.map((j) => j.verdict)).toEqual(['refuse', 'ok']);
    expect(json.memory.jobs[0]?.bytes).toBeGreaterThan(json.memory.limitBytes);
  });

  it('ablate run refuses before anything runs, with the estimate and a batch size that fits', () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const run = runCli(['run', sweepFile(dir, 32), '--results', results]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/1 training job\(s\) will not fit in memory: the wasm backend holds at most 4 GiB/);
    expect(run.stderr).toMatch(/pretrain resnet\/logspec seed 0: about [\d.]+ GiB of 4.00 GiB at batch 32/);
    const fits = Number(/set batchSize to (\d+) or less/.exec(run.stderr)?.[1]);
    expect(fits).toBeGreaterThanOrEqual(2);
    expect(fits).toBeLessThan(32);
    expect(run.stderr).toContain('--no-memory-check');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(results, 'ablate.db'))).toBe(false);

    // At the batch size it names, the plan has nothing it would refuse.
    const json = JSON.parse(runCli(['plan', sweepFile(dir, fits), '--json']).stdout) as { memory: { jobs: Array<{ verdict: string }> } };
    expect(json.memory.jobs.every((j) => j.verdict !== 'refuse')).toBe(true);
  });
});
