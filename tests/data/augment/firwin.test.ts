import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convolve, firwin, peakMagnitude } from '../../../src/data/augment/firwin.js';
import { filterFir } from '../../../src/data/augment/fir-filter.js';

interface Fixture {
  firwin: Array<{ numtaps: number; cutoff: number[]; fs: number; passZero: boolean; h: number[] }>;
  cascade: { b: number[]; peak: number };
  filter: { x: number[]; b: number[]; y: number[]; short: number[]; yShort: number[] };
}

// Reference values from scipy 1.10.1 (see the fixture's _source).
const fixture = JSON.parse(readFileSync(new URL('./fixtures/scipy-fir.json', import.meta.url), 'utf8')) as Fixture;

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

describe('firwin (RawBoost filter design)', () => {
  it.each(fixture.firwin.filter((c) => !(c.numtaps % 2 === 0 && c.passZero && c.cutoff.length === 1)))(
    'matches scipy.signal.firwin for $numtaps taps, cutoffs $cutoff, pass_zero $passZero',
    (c) => {
      expect(maxAbsDifference(firwin(c.numtaps, c.cutoff, c.fs, c.passZero), c.h)).toBeLessThan(1e-12);
    },
  );

  it('refuses an even-length filter that must pass Nyquist, as scipy does', () => {
    expect(() => firwin(20, [1000, 2000], 16000, true)).toThrow(/odd number of taps/);
    expect(() => firwin(21, [0, 2000], 16000, true)).toThrow(/strictly between/);
  });

  it('cascades filters and finds the peak gain scipy.signal.freqz reports', () => {
    const stages: Array<[number, number, number]> = [
      [15, 300, 900],
      [41, 2000, 2600],
      [77, 5000, 5800],
    ];
    let b: Float64Array = new Float64Array([1]);
    for (const [taps, low, high] of stages) b = convolve(firwin(taps, [low, high], 16000), b);
    expect(maxAbsDifference(b, fixture.cascade.b)).toBeLessThan(1e-12);
    expect(peakMagnitude(b)).toBeCloseTo(fixture.cascade.peak, 10);
  });

  it('filters like RawBoost filterFIR (lfilter, padded, delay-compensated), by FFT and directly', () => {
    const x = Float64Array.from(fixture.filter.x);
    expect(maxAbsDifference(filterFir(x, Float64Array.from(fixture.filter.b)), fixture.filter.y)).toBeLessThan(1e-10);
    expect(maxAbsDifference(filterFir(x, Float64Array.from(fixture.filter.short)), fixture.filter.yShort)).toBeLessThan(1e-12);
  });
});
