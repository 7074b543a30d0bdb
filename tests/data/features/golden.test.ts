import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAudioFile } from '../../../src/data/audio/index.js';
import { computeFeatures } from '../../../src/data/features/index.js';
import type { FeatureConfig } from '../../../src/config/schema/features.js';
import { repoRoot } from '../../helpers/cli.js';

/**
 * torchaudio 0.13.1 reference values (tests/fixtures/golden, copied from shared/golden, plus
 * extra-features.json made by make-extra-features.py). Goal per case: 99th percentile of
 * the absolute error <= 0.01 and maximum <= 0.1.
 */
const goldenDir = join(repoRoot, 'tests', 'fixtures', 'golden');

interface GoldenCase {
  label: string;
  signal: string;
  config: FeatureConfig;
  shape: [number, number];
  values: number[][];
}

/** The golden params are torchaudio's snake_case names; ablate's FeatureConfig is camelCase. */
const camel: Record<string, keyof FeatureConfig> = {
  kind: 'kind', n_fft: 'nFft', win_length: 'winLength', hop_length: 'hopLength', window: 'window', f_min: 'fMin', f_max: 'fMax',
  n_mels: 'nMels', mel_scale: 'melScale', norm: 'norm', log_eps: 'logEps', n_filter: 'nFilter', n_lfcc: 'nLfcc', n_mfcc: 'nMfcc',
};

function toConfig(params: Record<string, unknown>): FeatureConfig {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (key === 'name') continue;
    const field = camel[key];
    if (field === undefined) throw new Error(`golden parameter ${key} has no FeatureConfig field`);
    config[field] = value === null ? 'none' : value;
  }
  return config as FeatureConfig;
}

function loadCases(): GoldenCase[] {
  const main = JSON.parse(readFileSync(join(goldenDir, 'features.json'), 'utf8')) as { features: Array<{ signal: string; params: Record<string, unknown>; shape: [number, number]; values: number[][] }> };
  const extra = JSON.parse(readFileSync(join(goldenDir, 'extra-features.json'), 'utf8')) as { cases: Array<{ name: string; signal: string; config: FeatureConfig; shape: [number, number]; values: number[][] }> };
  return [
    ...main.features.map((c) => ({ label: `${c.signal} ${String(c.params['name'])}`, signal: c.signal, config: toConfig(c.params), shape: c.shape, values: c.values })),
    ...extra.cases.map((c) => ({ label: `${c.signal} ${c.name} (extra)`, signal: c.signal, config: c.config, shape: c.shape, values: c.values })),
  ];
}

const cases = loadCases();

describe('features match torchaudio', () => {
  it('covers every golden case', () => {
    expect(cases.filter((c) => !c.label.endsWith('(extra)'))).toHaveLength(20);
    expect(new Set(cases.map((c) => c.config.kind))).toEqual(new Set(['mel', 'logspec', 'lfcc', 'mfcc']));
  });

  it.each(cases.map((c) => [c.label, c] as const))('%s', async (_label, golden) => {
    const audio = await decodeAudioFile(join(goldenDir, golden.signal));
    const features = computeFeatures(audio.samples, audio.sampleRate, golden.config);
    expect(features.shape).toEqual(golden.shape);
    const [bins, frames] = features.shape;
    const errors: number[] = [];
    for (let b = 0; b < bins; b++) for (let t = 0; t < frames; t++) errors.push(Math.abs(features.data[b * frames + t]! - golden.values[b]![t]!));
    errors.sort((x, y) => x - y);
    const p99 = errors[Math.floor(0.99 * (errors.length - 1))]!;
    const max = errors[errors.length - 1]!;
    expect(p99).toBeLessThanOrEqual(0.01);
    expect(max).toBeLessThanOrEqual(0.1);
  });
});
