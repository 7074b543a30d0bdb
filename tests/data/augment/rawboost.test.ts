import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rawboost, rawBoostDefaults } from '../../../src/data/augment/rawboost.js';
import { decodeAudioFile } from '../../../src/data/audio/index.js';
import { Rng } from '../../../src/util/rng.js';

// One second of a voiced test signal at 16 kHz (copied from shared/golden).
const { samples: voiced, sampleRate } = await decodeAudioFile(fileURLToPath(new URL('./fixtures/voiced.wav', import.meta.url)));

const peak = (x: Float32Array): number => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const energy = (x: ArrayLike<number>): number => Array.from(x).reduce((s, v) => s + v * v, 0);
const same = (a: Float32Array, b: Float32Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

describe('RawBoost', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('algorithm %i: same seed same output, another seed another output, input untouched', (algorithm) => {
    const before = Float32Array.from(voiced);
    const a = rawboost(voiced, sampleRate, algorithm, new Rng(11));
    const b = rawboost(voiced, sampleRate, algorithm, new Rng(11));
    const c = rawboost(voiced, sampleRate, algorithm, new Rng(12));
    expect(same(a, b)).toBe(true);
    expect(same(a, c)).toBe(false);
    expect(same(a, voiced)).toBe(false);
    expect(same(voiced, before)).toBe(true);
    expect(a.length).toBe(voiced.length);
  });

  it.each([1, 2, 5, 8])('algorithm %i stays within [-1, 1] even for a loud input', (algorithm) => {
    const scale = 0.999 / peak(voiced);
    const loud = voiced.map((v) => v * scale);
    for (let seed = 0; seed < 8; seed++) {
      const y = rawboost(loud, sampleRate, algorithm, new Rng(seed));
      expect(y.every(Number.isFinite)).toBe(true);
      expect(peak(y)).toBeLessThanOrEqual(1 + 1e-6);
    }
  });

  it.each([3, 4, 6, 7])('algorithm %i (ending in SSI) adds bounded noise: peak grows by at most the noise at 10 dB SNR', (algorithm) => {
    for (let seed = 0; seed < 6; seed++) {
      const y = rawboost(voiced, sampleRate, algorithm, new Rng(seed));
      expect(y.every(Number.isFinite)).toBe(true);
      // The noise's energy is at most a tenth of the signal's; its peak at most its norm.
      expect(peak(y)).toBeLessThanOrEqual(1 + Math.sqrt(energy(voiced) / 10));
    }
  });

  it('SSI alone adds noise at an SNR within [SNRmin, SNRmax]', () => {
    for (let seed = 0; seed < 20; seed++) {
      const y = rawboost(voiced, sampleRate, 3, new Rng(seed));
      const noise = y.map((v, i) => v - (voiced[i] as number));
      const snr = 10 * Math.log10(energy(voiced) / energy(noise));
      expect(snr).toBeGreaterThanOrEqual(rawBoostDefaults.SNRmin - 0.01);
      expect(snr).toBeLessThanOrEqual(rawBoostDefaults.SNRmax + 0.01);
    }
  });

  it('ISD changes at most P percent of the samples', () => {
    for (let seed = 0; seed < 10; seed++) {
      const y = rawboost(voiced, sampleRate, 2, new Rng(seed));
      // ISD rescales only when the peak exceeds 1; this input's peak leaves room, so samples compare directly.
      const changed = y.filter((v, i) => Math.abs(v - (voiced[i] as number)) > 1e-7).length;
      expect(changed).toBeLessThanOrEqual((voiced.length * rawBoostDefaults.P) / 100);
    }
  });

  it('LnL changes the spectrum but keeps the signal (correlated with the input, zero mean)', () => {
    const y = rawboost(voiced, sampleRate, 1, new Rng(5));
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    expect(Math.abs(mean)).toBeLessThan(1e-6);
    let dot = 0;
    for (let i = 0; i < y.length; i++) dot += (y[i] as number) * (voiced[i] as number);
    expect(dot / Math.sqrt(energy(y) * energy(voiced))).toBeGreaterThan(0.2);
  });

  it('algorithm 0 is the identity and unknown algorithms are refused', () => {
    expect(same(rawboost(voiced, sampleRate, 0, new Rng(1)), voiced)).toBe(true);
    expect(() => rawboost(voiced, sampleRate, 9, new Rng(1))).toThrow(/0-8/);
  });
});
