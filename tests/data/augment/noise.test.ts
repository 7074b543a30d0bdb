import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addNoise, addNoiseWithSnr } from '../../../src/data/augment/noise.js';
import { decodeAudioFile } from '../../../src/data/audio/index.js';
import { Rng } from '../../../src/util/rng.js';

const { samples: voiced } = await decodeAudioFile(fileURLToPath(new URL('./fixtures/voiced.wav', import.meta.url)));
const energy = (x: ArrayLike<number>): number => Array.from(x).reduce((s, v) => s + v * v, 0);

describe('additive noise', () => {
  it('hits an SNR inside the configured range, and the range is covered', () => {
    const snrs: number[] = [];
    for (let seed = 0; seed < 40; seed++) {
      const { samples, snrDb } = addNoiseWithSnr(voiced, [5, 20], new Rng(seed));
      const noise = samples.map((v, i) => v - (voiced[i] as number));
      const measured = 10 * Math.log10(energy(voiced) / energy(noise));
      expect(measured).toBeGreaterThanOrEqual(5 - 0.01);
      expect(measured).toBeLessThanOrEqual(20 + 0.01);
      expect(measured).toBeCloseTo(snrDb as number, 1);
      snrs.push(measured);
    }
    expect(Math.min(...snrs)).toBeLessThan(8);
    expect(Math.max(...snrs)).toBeGreaterThan(17);
  });

  it('is a function of the seed', () => {
    const a = addNoise(voiced, [10, 10], new Rng(3));
    const b = addNoise(voiced, [10, 10], new Rng(3));
    const c = addNoise(voiced, [10, 10], new Rng(4));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('leaves silence silent and refuses an inverted range', () => {
    expect(addNoise(new Float32Array(100), [0, 10], new Rng(1)).every((v) => v === 0)).toBe(true);
    expect(() => addNoise(voiced, [20, 10], new Rng(1))).toThrow(/min <= max/);
  });
});
