import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { augmentationRng, augmentWaveform, type AugmentConfig } from '../../src/data/augment/index.js';
import { Rng } from '../../src/util/rng.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { findTorchPython } from './support/python.js';

const TOLERANCE = 1e-4;
const SAMPLE_RATE = 16000;
const LENGTH = 16000;
const ITEMS = ['LA_T_1000137', 'LA_T_9990001'];
const found = findTorchPython(['torch', 'torchaudio']);
if (found.python === null) console.warn(`skipping the PyTorch RawBoost test: ${found.reason}`);

interface Case {
  item: string;
  seed: number;
  epoch: number;
  algorithm: number;
  cache: boolean;
  /** 16 kHz, or 8 kHz where the notch centres are capped at Nyquist (4 kHz, not maxF's 8). */
  sampleRate: number;
}

/** A speech-like test signal: a few harmonics with a slow envelope plus a little noise, peak exactly 1. */
function testWave(item: string): Float32Array {
  const rng = Rng.fromLabels('rawboost-test', item);
  const f0 = rng.between(90, 220);
  const x = new Float64Array(LENGTH);
  for (let n = 0; n < LENGTH; n++) {
    const t = n / SAMPLE_RATE;
    let v = 0;
    for (let h = 1; h <= 6; h++) v += Math.sin(2 * Math.PI * f0 * h * t + h) / h;
    x[n] = v * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t)) + 0.05 * rng.normal();
  }
  const peak = Math.max(...x.map(Math.abs));
  return Float32Array.from(x, (v) => v / peak);
}

/** What the built-in's epochAugmenter gives one item in one epoch (src/jobs/augmented-data.ts). */
function builtIn(wave: Float32Array, c: Case): Float32Array {
  const config: AugmentConfig = { rawboost: c.algorithm, cache: c.cache };
  return augmentWaveform(wave, c.sampleRate, config, augmentationRng(config, c.seed, c.item, c.epoch).fork('waveform'));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

/**
 * The PyTorch trainer's RawBoost (ablate_torch/rawboost.py, through its Augmenter) against the
 * built-in's augmentWaveform: every algorithm 1-8 for two items, two seeds and two epochs, plus
 * cached augmentation (any epoch gives epoch 0's variant) and an 8 kHz case, must agree within 1e-4 on waveforms
 * scaled to [-1, 1]. Controls: the output is not the clean input, and the built-in's output for
 * another epoch or seed is far from the PyTorch one, so the match comes from the same draws.
 */
describe.skipIf(found.python === null)('PyTorch trainer RawBoost', () => {
  it("gives the built-in's augmented waveforms for every algorithm, item, seed and epoch (max abs difference <= 1e-4)", () => {
    const dir = tempDir('ablate-rawboost-');
    const waves = new Map(ITEMS.map((item) => [item, testWave(item)] as const));
    const cases: Case[] = [];
    for (let algorithm = 1; algorithm <= 8; algorithm++) {
      for (const item of ITEMS) for (const seed of [1, 20260]) for (const epoch of [0, 2]) cases.push({ item, seed, epoch, algorithm, cache: false, sampleRate: SAMPLE_RATE });
      cases.push({ item: ITEMS[0] as string, seed: 7, epoch: 3, algorithm, cache: true, sampleRate: SAMPLE_RATE });
      cases.push({ item: ITEMS[1] as string, seed: 11, epoch: 1, algorithm, cache: false, sampleRate: 8000 });
    }
    const all = new Float32Array(ITEMS.length * LENGTH);
    ITEMS.forEach((item, i) => all.set(waves.get(item) as Float32Array, i * LENGTH));
    writeFileSync(join(dir, 'waves.f32'), Buffer.from(all.buffer));
    writeFileSync(join(dir, 'rawboost.json'), JSON.stringify({ length: LENGTH, items: ITEMS, cases }));
    const run = spawnSync(found.python as string, ['-m', 'ablate_torch.rawboost_check', dir], {
      cwd: join(import.meta.dirname, '../../trainers/pytorch'),
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const info = JSON.parse(run.stdout) as { torch: string; seconds: number };
    const bytes = readFileSync(join(dir, 'torch.f32'));
    const torchOut = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    expect(torchOut.length).toBe(cases.length * LENGTH);

    const worst: Record<number, number> = {};
    let worstControl = Infinity;
    cases.forEach((c, index) => {
      const wave = waves.get(c.item) as Float32Array;
      const ours = torchOut.subarray(index * LENGTH, (index + 1) * LENGTH);
      const reference = builtIn(wave, c);
      expect(ours.every(Number.isFinite), `case ${JSON.stringify(c)}`).toBe(true);
      const diff = maxAbsDiff(ours, reference);
      expect(diff, `case ${JSON.stringify(c)}`).toBeLessThanOrEqual(TOLERANCE);
      worst[c.algorithm] = Math.max(worst[c.algorithm] ?? 0, diff);
      // Controls: augmentation changed the wave, and other draws give another wave.
      expect(maxAbsDiff(ours, wave), `case ${JSON.stringify(c)} against the clean wave`).toBeGreaterThan(10 * TOLERANCE);
      if (c.cache) {
        // Cached: epoch 3 is epoch 0's variant.
        expect(maxAbsDiff(ours, builtIn(wave, { ...c, epoch: 0 }))).toBeLessThanOrEqual(TOLERANCE);
      } else {
        const otherEpoch = maxAbsDiff(ours, builtIn(wave, { ...c, epoch: c.epoch + 1 }));
        const otherSeed = maxAbsDiff(ours, builtIn(wave, { ...c, seed: c.seed + 1 }));
        worstControl = Math.min(worstControl, otherEpoch, otherSeed);
      }
    });
    expect(worstControl).toBeGreaterThan(10 * TOLERANCE);
    console.info(
      `torch ${info.torch}, ${cases.length} cases in ${info.seconds} s: max abs difference per RawBoost algorithm ${JSON.stringify(worst)}; ` +
        `smallest difference to another epoch's or seed's variant ${worstControl.toExponential(2)}`,
    );
  });
});

/** sweeps/smoke.json as one soft mixture on a smaller corpus, with `augmentation`. */
function rawboostSweep(dir: string, name: string, augmentation: Record<string, unknown>): string {
  const sweep = JSON.parse(readFileSync(join(repoRoot, 'sweeps', 'smoke.json'), 'utf8')) as Record<string, any>;
  delete sweep['$schema'];
  delete sweep['include'];
  sweep['name'] = name;
  sweep['grid'] = { routing: [{ mode: 'soft' }] };
  sweep['base'].data.datasets.synth.options = { trainPerClass: 8, devPerClass: 3, evalPerClass: 4 };
  sweep['base'].data.augmentation = augmentation;
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(sweep, null, 2));
  return file;
}

describe.skipIf(found.python === null)('ablate run --trainer pytorch with RawBoost', () => {
  it('trains a mixture with RawBoost 4 (it used to fail with exit 2), and the augmentation changes its scores', () => {
    const dir = tempDir('ablate-rawboost-run-');
    const env = { ABLATE_PYTHON: found.python as string };
    const exports: string[] = [];
    for (const [name, augmentation] of [['boosted', { rawboost: 4 }], ['plain', {}]] as const) {
      const results = join(dir, name);
      const run = runCli(['run', rawboostSweep(dir, name, augmentation), '--trainer', 'pytorch', '--results', results, '--workers', '2', '--quiet'], { env });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      const exported = runCli(['export', name, '--results', results, '--format', 'json']);
      expect(exported.status, exported.stderr).toBe(0);
      const rows = JSON.parse(exported.stdout) as Array<{ kind: string; dataset: string; metrics: { eer: number | null } }>;
      expect(rows.filter((r) => r.dataset === '__all__').every((r) => typeof r.metrics.eer === 'number')).toBe(true);
      exports.push(JSON.stringify(rows.map((r) => [r.dataset, r.metrics])));
    }
    // Same seeds and data: only the augmented training waveforms can make the scores differ.
    expect(exports[0]).not.toBe(exports[1]);
  }, 600_000);
});
