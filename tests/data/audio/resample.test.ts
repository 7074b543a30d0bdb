import { describe, expect, it } from 'vitest';
import { createResampler, resample } from '../../../src/data/audio/index.js';
import { isUserError } from '../../../src/util/errors.js';
import { sine, tone } from './signal.js';

describe('resample (libsamplerate, medium quality)', () => {
  it.each([
    [44100, 16000, 1000],
    [48000, 16000, 3000],
    [22050, 16000, 440],
    [8000, 16000, 1000],
    [16000, 24000, 5000],
  ])('%i Hz -> %i Hz keeps a %i Hz sine at its frequency, level and phase', async (from, to, hz) => {
    const input = sine(hz, from, 1);
    const output = await resample(input, from, to);
    expect(output.length).toBe(Math.ceil((input.length * to) / from));
    // Away from the edges (where the filter sees zeros), sample by sample.
    const margin = Math.round(to * 0.02);
    const { amplitude, phase } = tone(output, hz, to, margin, output.length - margin);
    expect(amplitude).toBeGreaterThan(0.4995);
    expect(amplitude).toBeLessThan(0.5005);
    expect(Math.abs(phase)).toBeLessThan(1e-3);
    let worst = 0;
    for (let i = margin; i < output.length - margin; i++) worst = Math.max(worst, Math.abs(output[i]! - 0.5 * Math.sin((2 * Math.PI * hz * i) / to)));
    expect(worst).toBeLessThan(1e-3);
  });

  it('removes content above the new Nyquist frequency instead of aliasing it', async () => {
    // 11 kHz at 44.1 kHz would alias to 5 kHz at 16 kHz without the low-pass filter.
    const output = await resample(sine(11000, 44100, 1), 44100, 16000);
    expect(tone(output, 5000, 16000, 400, 15600).amplitude).toBeLessThan(1e-4);
    let energy = 0;
    for (let i = 400; i < 15600; i++) energy += output[i]! ** 2;
    expect(Math.sqrt(energy / 15200)).toBeLessThan(1e-4);
  });

  it('handles inputs longer than the library buffer without losing audio', async () => {
    // 30 s at 48 kHz = 1.44 M samples: the package's own chunked path returns ~0.1 s here.
    const input = sine(1000, 48000, 30);
    const output = await resample(input, 48000, 16000);
    expect(output.length).toBe(480000);
    for (let second = 1; second < 29; second++) {
      const { amplitude } = tone(output, 1000, 16000, second * 16000, (second + 1) * 16000);
      expect(amplitude).toBeCloseTo(0.5, 3);
    }
  });

  it('is deterministic and does not carry state between calls', async () => {
    const resampler = await createResampler(44100, 16000);
    const a = resampler.process(sine(700, 44100, 0.5));
    resampler.process(sine(3000, 44100, 0.3));
    const b = resampler.process(sine(700, 44100, 0.5));
    expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
  });

  it('returns a copy at equal rates and refuses rates it cannot handle', async () => {
    const input = sine(440, 16000, 0.1);
    const same = await resample(input, 16000, 16000);
    expect(same).not.toBe(input);
    expect(Array.from(same)).toEqual(Array.from(input));
    const error = await resample(input, 384000, 16000).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect(String(error)).toMatch(/384000 Hz/);
  });
});
