import { describe, expect, it } from 'vitest';
import { cropRng, fitClip } from '../../../src/data/audio/clip.js';
import { clipIdentity } from '../../../src/data/cache/shard-plan.js';
import { clipPolicy } from '../../../src/jobs/job-data.js';
import type { JobData } from '../../../src/data/selection/job-items.js';

const short = Float32Array.from({ length: 7 }, (_, i) => i);
const tiled = (key: string, random: boolean): number[] => Array.from(fitClip(short, 17, 'random', cropRng({ seed: 0 }, key), random));

describe('data.tileOffset (#16 item 5)', () => {
  it('random: a short clip is tiled from a seeded offset per item, the same every time; start (the default) from sample 0', () => {
    expect(tiled('a', false)).toEqual([0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2]);
    const offsets = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((key) => {
      const clip = tiled(key, true);
      // Still the signal end to end, only rotated: each sample follows its predecessor.
      clip.forEach((value, i) => i > 0 && expect(value).toBe(((clip[i - 1] as number) + 1) % 7));
      expect(tiled(key, true)).toEqual(clip);
      return clip[0];
    });
    expect(new Set(offsets).size).toBeGreaterThan(2);
  });

  it('acts on training clips only, and keys the feature cache only when set', () => {
    const data = { datasets: {}, train: [], evaluate: { known: [] } } as unknown as JobData;
    expect(clipPolicy({ ...data, tileOffset: 'random' }, 'train').tileOffset).toBe('random');
    expect(clipPolicy({ ...data, tileOffset: 'random' }, 'eval').tileOffset).toBeUndefined();
    expect(clipIdentity(clipPolicy({ ...data, tileOffset: 'start' }, 'train'))).toEqual(clipIdentity(clipPolicy(data, 'train')));
    expect(clipIdentity(clipPolicy({ ...data, tileOffset: 'random' }, 'train'))).not.toEqual(clipIdentity(clipPolicy(data, 'train')));
  });
});
