import { describe, expect, it } from 'vitest';
import { specAugment, specAugmentMasks } from '../../../src/data/augment/spec-augment.js';
import { Rng } from '../../../src/util/rng.js';

const bins = 80;
const frames = 101;
const config = { freqMasks: 2, freqWidth: 12, timeMasks: 3, timeWidth: 15 };

/** A feature matrix with no zeros, so masked cells are exactly the zeros. */
function features(): Float32Array {
  return Float32Array.from({ length: bins * frames }, (_, i) => 1 + (i % 7));
}

/** Lengths of runs of fully masked rows (or columns) of the result. */
function maskedRuns(data: Float32Array, axis: 'freq' | 'time'): boolean[] {
  const count = axis === 'freq' ? bins : frames;
  const full: boolean[] = [];
  for (let k = 0; k < count; k++) {
    let all = true;
    const other = axis === 'freq' ? frames : bins;
    for (let j = 0; j < other && all; j++) all = data[axis === 'freq' ? k * frames + j : j * frames + k] === 0;
    full.push(all);
  }
  return full;
}

describe('SpecAugment', () => {
  it('draws masks within the configured counts and widths, inside the matrix', () => {
    for (let seed = 0; seed < 200; seed++) {
      const masks = specAugmentMasks([bins, frames], config, new Rng(seed));
      expect(masks.filter((m) => m.axis === 'freq')).toHaveLength(config.freqMasks);
      expect(masks.filter((m) => m.axis === 'time')).toHaveLength(config.timeMasks);
      for (const mask of masks) {
        const [limit, size] = mask.axis === 'freq' ? [config.freqWidth, bins] : [config.timeWidth, frames];
        expect(mask.width).toBeGreaterThanOrEqual(0);
        expect(mask.width).toBeLessThanOrEqual(limit);
        expect(mask.start + mask.width).toBeLessThanOrEqual(size);
      }
    }
  });

  it('zeroes exactly the masked rows and columns of a copy', () => {
    for (let seed = 0; seed < 50; seed++) {
      const input = features();
      const out = specAugment(input, [bins, frames], config, new Rng(seed));
      expect(input.every((v) => v !== 0)).toBe(true);
      const masks = specAugmentMasks([bins, frames], config, new Rng(seed));
      const rows = maskedRuns(out, 'freq');
      const columns = maskedRuns(out, 'time');
      const expectedRows = new Set(masks.filter((m) => m.axis === 'freq').flatMap((m) => Array.from({ length: m.width }, (_, i) => m.start + i)));
      const expectedColumns = new Set(masks.filter((m) => m.axis === 'time').flatMap((m) => Array.from({ length: m.width }, (_, i) => m.start + i)));
      rows.forEach((masked, bin) => expect(masked).toBe(expectedRows.has(bin)));
      columns.forEach((masked, frame) => expect(masked).toBe(expectedColumns.has(frame)));
      // Masked cells are the union of those rows and columns, nothing else.
      const zeros = out.filter((v) => v === 0).length;
      expect(zeros).toBe(expectedRows.size * frames + expectedColumns.size * bins - expectedRows.size * expectedColumns.size);
      // A run of masked rows is at most the sum of the freq widths (overlapping masks merge).
      expect(expectedRows.size).toBeLessThanOrEqual(config.freqMasks * config.freqWidth);
      expect(expectedColumns.size).toBeLessThanOrEqual(config.timeMasks * config.timeWidth);
    }
  });

  it('same seed same masks, another seed other masks; no masks when counts are zero', () => {
    const a = specAugment(features(), [bins, frames], config, new Rng(1));
    expect(specAugment(features(), [bins, frames], config, new Rng(1))).toEqual(a);
    expect(specAugment(features(), [bins, frames], config, new Rng(2))).not.toEqual(a);
    const none = specAugment(features(), [bins, frames], { freqMasks: 0, freqWidth: 10, timeMasks: 0, timeWidth: 10 }, new Rng(1));
    expect(none).toEqual(features());
  });

  it('rejects data that does not match the shape', () => {
    expect(() => specAugment(new Float32Array(10), [bins, frames], config, new Rng(1))).toThrow(/shape/);
  });
});
