import { describe, expect, it } from 'vitest';
import { computeFeatures, featureShape, resolveFeatureConfig, featureExtractor } from '../../../src/data/features/index.js';
import { createPowerSpectrum } from '../../../src/data/features/power-spectrum.js';
import { Rng } from '../../../src/util/rng.js';
import { isUserError } from '../../../src/util/errors.js';

const noise = (n: number, seed = 1): Float32Array => {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.between(-0.5, 0.5));
};

describe('resolveFeatureConfig', () => {
  it("fills torchaudio's defaults", () => {
    const resolved = resolveFeatureConfig({ kind: 'mel' }, 16000);
    expect(resolved).toMatchObject({ nFft: 400, winLength: 400, hopLength: 200, window: 'hann', fMin: 0, fMax: 8000, nMels: 128, melScale: 'htk', norm: 'none', logEps: 1e-6, deltas: 0, preEmphasis: 0, meanNorm: false });
    expect(resolveFeatureConfig({ kind: 'lfcc', nFft: 1024, winLength: 320 }, 22050)).toMatchObject({ hopLength: 160, fMax: 11025, nFilter: 128, nLfcc: 40 });
  });

  it.each([
    [{ kind: 'mel', nFft: 256, winLength: 400 }, /winLength \(400\) must not exceed nFft \(256\)/],
    [{ kind: 'mel', fMin: 5000, fMax: 4000 }, /fMin \(5000 Hz\) must be below fMax/],
    [{ kind: 'mfcc', nMels: 20, nMfcc: 30 }, /nMfcc \(30\) cannot exceed nMels \(20\)/],
    [{ kind: 'lfcc', nFilter: 10, nLfcc: 20 }, /nLfcc \(20\) cannot exceed nFilter \(10\)/],
  ] as const)('rejects %j', (config, message) => {
    let error: unknown;
    try {
      resolveFeatureConfig(config, 16000);
    } catch (e) {
      error = e;
    }
    expect(isUserError(error)).toBe(true);
    expect(String(error)).toMatch(message);
  });
});

describe('power spectrum', () => {
  // 512, 96 and 1024 run on PFFFT (single precision); 16, 400, 255 and 1000 on fft.js (double).
  it.each([512, 96, 1024, 16, 400, 255, 1000])('equals a direct DFT for nFft %i', (nFft) => {
    const spectrum = createPowerSpectrum(nFft);
    const singlePrecision = spectrum.createFrame() instanceof Float32Array;
    const frame = spectrum.createFrame();
    const x = noise(nFft, nFft);
    for (let n = 0; n < nFft; n++) frame[n] = x[n]!;
    const out = new Float64Array(spectrum.bins);
    // Parseval: the spectrum's total power, the scale of single-precision rounding errors.
    const total = nFft * x.reduce((sum, v) => sum + v * v, 0);
    spectrum.compute(frame, out);
    expect(spectrum.bins).toBe(Math.floor(nFft / 2) + 1);
    for (let k = 0; k < spectrum.bins; k++) {
      let re = 0;
      let im = 0;
      for (let n = 0; n < nFft; n++) {
        re += x[n]! * Math.cos((2 * Math.PI * k * n) / nFft);
        im -= x[n]! * Math.sin((2 * Math.PI * k * n) / nFft);
      }
      const tolerance = singlePrecision ? 1e-6 * total : 1e-9 * (1 + re * re + im * im);
      expect(Math.abs(out[k]! - (re * re + im * im))).toBeLessThan(tolerance);
    }
    // The frame is input only: computing again gives the same answer.
    const again = new Float64Array(spectrum.bins);
    spectrum.compute(frame, again);
    expect(Array.from(again)).toEqual(Array.from(out));
  });
});

describe('computeFeatures', () => {
  it("gives torch.stft's frame count (centre padding) and documented bin counts", () => {
    expect(featureShape(16000, 16000, { kind: 'mel', nFft: 512, hopLength: 160, nMels: 80 })).toEqual([80, 101]);
    expect(featureShape(48000, 16000, { kind: 'mel', nFft: 512, winLength: 400, hopLength: 160, nMels: 80 })).toEqual([80, 301]);
    expect(featureShape(16000, 16000, { kind: 'logspec', nFft: 255, hopLength: 80 })).toEqual([128, 200]);
    expect(featureShape(16000, 16000, { kind: 'lfcc', nFft: 1024, winLength: 320, hopLength: 160, nFilter: 20, nLfcc: 20, deltas: 2 })).toEqual([60, 101]);
    expect(featureShape(123, 16000, { kind: 'waveform' })).toEqual([1, 123]);
  });

  it('returns the waveform (pre-emphasised when asked) for kind waveform', () => {
    const x = Float32Array.from([1, 2, 4, 8]);
    expect(Array.from(computeFeatures(x, 16000, { kind: 'waveform' }).data)).toEqual([1, 2, 4, 8]);
    const emphasised = computeFeatures(x, 16000, { kind: 'waveform', preEmphasis: 0.5 });
    expect(emphasised.shape).toEqual([1, 4]);
    expect(Array.from(emphasised.data)).toEqual([1, 1.5, 3, 6]);
    expect(Array.from(x)).toEqual([1, 2, 4, 8]);
  });

  it('appends deltas that follow torchaudio.compute_deltas (slope of a ramp, replicate edges)', () => {
    const config = { kind: 'mel', nFft: 64, hopLength: 16, nMels: 8, deltas: 2 } as const;
    // A rising exponential makes every mel band's log grow linearly in time.
    const x = Float32Array.from({ length: 4000 }, (_, i) => Math.exp(i / 800) * Math.sin(i * 0.7) * 1e-3);
    const { shape, data } = computeFeatures(x, 16000, config);
    const [bins, frames] = shape;
    expect(bins).toBe(24);
    const at = (row: number, t: number): number => data[row * frames + t]!;
    for (let t = 3; t < frames - 3; t++) {
      const direct = (at(2, t + 1) - at(2, t - 1) + 2 * (at(2, t + 2) - at(2, t - 2))) / 10;
      expect(at(8 + 2, t)).toBeCloseTo(direct, 5);
    }
    // Edges repeat the first frame: d[0] = (x1 - x0 + 2 (x2 - x0)) / 10.
    expect(at(8, 0)).toBeCloseTo((at(0, 1) - at(0, 0) + 2 * (at(0, 2) - at(0, 0))) / 10, 5);
  });

  it('removes each row mean with meanNorm', () => {
    const { shape, data } = computeFeatures(noise(8000), 16000, { kind: 'mfcc', nFft: 512, nMels: 40, nMfcc: 13, meanNorm: true });
    const [bins, frames] = shape;
    for (let b = 0; b < bins; b++) {
      let sum = 0;
      for (let t = 0; t < frames; t++) sum += data[b * frames + t]!;
      expect(Math.abs(sum / frames)).toBeLessThan(1e-5);
    }
  });

  it('gives the same numbers on repeated and interleaved calls (buffers are reused safely)', () => {
    const a = { kind: 'mel', nFft: 512, winLength: 400, hopLength: 160, nMels: 80 } as const;
    const b = { kind: 'lfcc', nFft: 400, nFilter: 20, nLfcc: 20 } as const;
    const x = noise(16000, 3);
    const y = noise(9000, 4);
    const first = computeFeatures(x, 16000, a).data.slice();
    computeFeatures(y, 16000, a);
    computeFeatures(y, 16000, b);
    expect(Array.from(computeFeatures(x, 16000, { ...a }).data)).toEqual(Array.from(first));
    const out = new Float32Array(first.length);
    featureExtractor(a, 16000).compute(x, out);
    expect(Array.from(out)).toEqual(Array.from(first));
  });

  it('refuses a signal too short for the centre padding', () => {
    expect(() => computeFeatures(noise(100), 16000, { kind: 'mel', nFft: 512 })).toThrow(/100 samples is too short for nFft 512/);
  });

  it('matches a hand-computed log power spectrum on a pure tone', () => {
    // A full-period 1 kHz cosine in a 64-point frame lands in bin 4 with power (A*N/4)^2
    // under a periodic Hann window (the window's 0.5 mean halves the N/2 amplitude).
    const n = 16000;
    const x = Float32Array.from({ length: n }, (_, i) => 0.5 * Math.cos((2 * Math.PI * 1000 * i) / 16000));
    const { shape, data } = computeFeatures(x, 16000, { kind: 'logspec', nFft: 64, hopLength: 32 });
    const frames = shape[1];
    const t = 100;
    expect(data[4 * frames + t]).toBeCloseTo(Math.log((0.5 * 64 * 0.25) ** 2 + 1e-6), 4);
    expect(data[10 * frames + t]).toBeLessThan(-10);
  });
});
