import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { augmentWaveform } from '../../../src/data/augment/waveform.js';
import { augmentationRng, hasAugmentation, isAugmentationCacheable } from '../../../src/data/augment/config.js';
import { rawboost } from '../../../src/data/augment/rawboost.js';
import { decodeAudioFile } from '../../../src/data/audio/index.js';
import { Rng } from '../../../src/util/rng.js';

const { samples: voiced, sampleRate } = await decodeAudioFile(fileURLToPath(new URL('./fixtures/voiced.wav', import.meta.url)));

describe('augmentWaveform', () => {
  it('applies RawBoost then noise, deterministic in the seed', () => {
    const config = { rawboost: 5, noise: { snrDb: [10, 20] as [number, number] } };
    const a = augmentWaveform(voiced, sampleRate, config, new Rng(1));
    expect(augmentWaveform(voiced, sampleRate, config, new Rng(1))).toEqual(a);
    expect(augmentWaveform(voiced, sampleRate, config, new Rng(2))).not.toEqual(a);
    // The RawBoost stage draws from its own fork: without noise it equals RawBoost on that fork.
    const rawOnly = augmentWaveform(voiced, sampleRate, { rawboost: 5 }, new Rng(1));
    expect(rawOnly).toEqual(rawboost(voiced, sampleRate, 5, new Rng(1).fork('rawboost')));
    expect(a).not.toEqual(rawOnly);
  });

  it('honours the noise probability', () => {
    let noisy = 0;
    for (let seed = 0; seed < 200; seed++) {
      const out = augmentWaveform(voiced, sampleRate, { noise: { snrDb: [10, 10], probability: 0.25 } }, new Rng(seed));
      if (out.some((v, i) => v !== voiced[i])) noisy++;
    }
    expect(noisy).toBeGreaterThan(25);
    expect(noisy).toBeLessThan(75);
  });

  it('returns an unchanged copy when nothing is configured', () => {
    const out = augmentWaveform(voiced, sampleRate, {}, new Rng(1));
    expect(out).toEqual(voiced);
    expect(out).not.toBe(voiced);
  });
});

describe('augmentation seeding and caching', () => {
  const config = { rawboost: 3 };

  it('draws anew every epoch unless the sweep caches augmented data', () => {
    const epoch0 = augmentationRng(config, 7, 'item-1', 0).uniform();
    expect(augmentationRng(config, 7, 'item-1', 0).uniform()).toBe(epoch0);
    expect(augmentationRng(config, 7, 'item-1', 1).uniform()).not.toBe(epoch0);
    expect(augmentationRng(config, 7, 'item-2', 0).uniform()).not.toBe(epoch0);
    const cached = { ...config, cache: true };
    expect(augmentationRng(cached, 7, 'item-1', 5).uniform()).toBe(augmentationRng(cached, 7, 'item-1', 0).uniform());
  });

  it('is cacheable only without augmentation or with cache: true', () => {
    expect(isAugmentationCacheable({})).toBe(true);
    expect(isAugmentationCacheable({ rawboost: 0 })).toBe(true);
    expect(isAugmentationCacheable({ rawboost: 4 })).toBe(false);
    expect(isAugmentationCacheable({ noise: { snrDb: [5, 10] } })).toBe(false);
    expect(isAugmentationCacheable({ specAugment: { freqMasks: 1, freqWidth: 5, timeMasks: 0, timeWidth: 0 } })).toBe(false);
    expect(isAugmentationCacheable({ rawboost: 4, cache: true })).toBe(true);
    expect(hasAugmentation({ noise: { snrDb: [5, 10], probability: 0 } })).toBe(false);
  });
});
