import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runCli } from '../../helpers/cli.js';

const golden = join(repoRoot, 'tests', 'fixtures', 'golden');

describe('ablate features', () => {
  it('--json prints the matrix bins x frames and nothing else, matching torchaudio', () => {
    const reference = (JSON.parse(readFileSync(join(golden, 'features.json'), 'utf8')) as { features: Array<{ signal: string; params: { name: string }; values: number[][] }> }).features.find(
      (c) => c.signal === 'chirp.wav' && c.params.name === 'mel80_htk',
    )!;
    const params = { kind: 'mel', nFft: 512, winLength: 400, hopLength: 160, window: 'hamming', fMin: 20, fMax: 7600, nMels: 80, melScale: 'htk', norm: 'none', logEps: 1e-6 };
    const result = runCli(['features', join(golden, 'chirp.wav'), '--params', JSON.stringify(params), '--json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout) as { shape: [number, number]; values: number[][] };
    expect(Object.keys(output).sort()).toEqual(['shape', 'values']);
    expect(output.shape).toEqual([80, 101]);
    expect(output.values).toHaveLength(80);
    let worst = 0;
    output.values.forEach((row, b) => row.forEach((v, t) => (worst = Math.max(worst, Math.abs(v - reference.values[b]![t]!)))));
    expect(worst).toBeLessThan(0.01);
  });

  it('prints a readable summary without --json, and resamples with --sample-rate', () => {
    const result = runCli(['features', join(repoRoot, 'tests', 'fixtures', 'audio', 'pcm16-stereo-44k.wav'), '--params', '{"kind":"lfcc","nFft":512,"nFilter":20,"nLfcc":20}', '--sample-rate', '16000']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/2 channel\(s\) at 44100 Hz, 0\.500 s, resampled to 16000 Hz/);
    expect(result.stdout).toMatch(/lfcc, 20 bins x 32 frames/);
  });

  it.each([
    [['--params', '{"kind":"mel","nFft":"big"}'], /--params\/nFft: must be integer/],
    [['--params', '{"kind":"mfcc","window":"hanning"}'], /--params\/window: must be one of "hann", "hamming"/],
    [['--params', '{"kind":"mel","nFft":256,"winLength":400}'], /winLength \(400\) must not exceed nFft \(256\)/],
    [['--params', '{kind:mel}'], /--params is not valid JSON/],
    [['--params', '{"kind":"mel"}', '--sample-rate', '-5'], /--sample-rate -5: expected a whole number from 1000 to 768000/],
  ])('exits 2 with a message for bad input %j', (extra, message) => {
    const result = runCli(['features', join(golden, 'voiced.wav'), ...extra]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it('names a corrupt file and exits 2', () => {
    const bad = join(repoRoot, 'tests', 'fixtures', 'audio', 'truncated-data.wav');
    const result = runCli(['features', bad, '--params', '{"kind":"mel"}', '--json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${bad}: truncated WAV`);
    expect(result.stdout).toBe('');
  });
});
