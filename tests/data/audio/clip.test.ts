import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fitClip, cropRng, loadClip, clipLength, AudioFileError } from '../../../src/data/audio/index.js';
import { Rng } from '../../../src/util/rng.js';
import type { ClipPolicy } from '../../../src/data/item.js';
import { repoRoot } from '../../helpers/cli.js';
import { tone } from './signal.js';

const fixture = (name: string): string => join(repoRoot, 'tests', 'fixtures', 'audio', name);
const ramp = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => i);

describe('fitClip', () => {
  it('takes the middle window for a centre crop', () => {
    expect(Array.from(fitClip(ramp(10), 4, 'center'))).toEqual([3, 4, 5, 6]);
    expect(Array.from(fitClip(ramp(11), 4, 'center'))).toEqual([3, 4, 5, 6]);
  });

  it('tiles a short signal end to end', () => {
    expect(Array.from(fitClip(ramp(3), 8, 'center'))).toEqual([0, 1, 2, 0, 1, 2, 0, 1]);
    expect(Array.from(fitClip(ramp(3), 8, 'random', new Rng(1)))).toEqual([0, 1, 2, 0, 1, 2, 0, 1]);
  });

  it('returns a copy even when the length already fits', () => {
    const x = ramp(5);
    const clip = fitClip(x, 5, 'center');
    expect(clip).not.toBe(x);
    expect(Array.from(clip)).toEqual(Array.from(x));
  });

  it('places random crops reproducibly from the seed and item, covering the whole range', () => {
    const x = ramp(1000);
    const starts = (seed: number, id: string): number => fitClip(x, 100, 'random', cropRng({ seed }, id))[0]!;
    expect(starts(7, 'utt1')).toBe(starts(7, 'utt1'));
    const ids = Array.from({ length: 200 }, (_, i) => `utt${i}`);
    const positions = ids.map((id) => starts(7, id));
    expect(Math.min(...positions)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...positions)).toBeLessThanOrEqual(900);
    expect(new Set(positions).size).toBeGreaterThan(150);
    // Another seed moves (almost) every crop.
    const moved = ids.filter((id) => starts(8, id) !== starts(7, id)).length;
    expect(moved).toBeGreaterThan(190);
  });

  it('refuses a random crop without an rng, and empty input', () => {
    expect(() => fitClip(ramp(10), 4, 'random')).toThrow(/needs an rng/);
    expect(() => fitClip(new Float32Array(0), 4, 'center')).toThrow(/empty/);
  });
});

describe('loadClip', () => {
  const policy = (clip: Partial<ClipPolicy>): ClipPolicy => ({ sampleRate: 16000, clipSeconds: 1, crop: 'center', seed: 1, ...clip });

  it('decodes, resamples and tiles a 0.5 s 44.1 kHz stereo file to a 1 s 16 kHz clip', async () => {
    const clip = await loadClip(fixture('pcm16-stereo-44k.wav'), policy({}));
    expect(clip.length).toBe(clipLength(policy({})));
    expect(clip.length).toBe(16000);
    expect(tone(clip, 440, 16000, 1000, 7000).amplitude).toBeCloseTo(0.25, 2);
    // The second half repeats the first.
    expect(clip[8000 + 1234]).toBe(clip[1234]);
  });

  it('gives an item the same random crop every time, and other items other crops', async () => {
    const item = { id: 'a', path: fixture('flac24-stereo-44k.flac') };
    const clip = policy({ clipSeconds: 0.1, crop: 'random', seed: 3 });
    const first = await loadClip(item, clip);
    const again = await loadClip(item, clip);
    expect(Array.from(again)).toEqual(Array.from(first));
    const other = await loadClip({ ...item, id: 'b' }, clip);
    expect(Array.from(other)).not.toEqual(Array.from(first));
  });

  it('passes on the decoder error for a bad file', async () => {
    await expect(loadClip(fixture('truncated.flac'), policy({}))).rejects.toBeInstanceOf(AudioFileError);
  });
});
