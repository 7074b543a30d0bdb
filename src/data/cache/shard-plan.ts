import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { contentHash } from '../../util/hash.js';
import type { ClipPolicy, DatasetItem } from '../item.js';
import type { ResolvedFeatureConfig } from '../features/config.js';
import { spectrumImplementation } from '../features/power-spectrum.js';
import { SHARD_FORMAT_VERSION } from './shard-format.js';

/**
 * Bump when feature or clip code changes its numbers, so old shards stop matching
 * (they are then recomputed, never mixed with new ones).
 */
export const FEATURE_CODE_VERSION = 2;
/** Aim for shards of about this size: big enough to read fast, small enough to rebuild. */
const TARGET_SHARD_BYTES = 32 * 1024 * 1024;

/** `dataset` lets a per-dataset bad-file policy decide (it is not part of the cache key). */
export type CacheItem = Pick<DatasetItem, 'id' | 'path'> & { dataset?: string };

export interface ShardPlan {
  key: string;
  file: string;
  /** Index of the shard's first item in the request. */
  first: number;
  items: CacheItem[];
}

/** Items per shard for a feature of bins x frames float32 values (at least 1). */
export function defaultItemsPerShard(bins: number, frames: number): number {
  return Math.max(1, Math.min(4096, Math.floor(TARGET_SHARD_BYTES / (bins * frames * 4))));
}

/**
 * What a clip's numbers depend on besides the audio: the seed only matters for random
 * crops, so centre-cropped (evaluation) caches are shared across seeds.
 */
export function clipIdentity(clip: ClipPolicy): Record<string, unknown> {
  return {
    sampleRate: clip.sampleRate,
    clipSeconds: clip.clipSeconds,
    crop: clip.crop,
    ...(clip.crop === 'random' ? { seed: clip.seed } : {}),
    // Only when set, so shards cached before the option keep matching.
    ...(clip.crop === 'random' && clip.tileOffset === 'random' ? { tileOffset: 'random' } : {}),
  };
}

/**
 * Consecutive groups of items, each addressed by a hash of everything its features
 * depend on: code and format versions, the resolved feature config, the FFT code that
 * computes it (PFFFT here, fft.js where wasm SIMD is missing), the clip policy,
 * the resampler, and per item its id, path, size and modification time (so an edited or
 * replaced file gets new features, while an unchanged corpus is reused by every trial
 * and sweep that asks for the same thing).
 */
export async function planShards(items: readonly CacheItem[], features: ResolvedFeatureConfig, clip: ClipPolicy, resampler: string, itemsPerShard: number, cacheDir: string): Promise<ShardPlan[]> {
  const fingerprints = await Promise.all(items.map(fingerprint));
  const fft = features.kind === 'waveform' ? null : spectrumImplementation(features.nFft);
  const common = { code: FEATURE_CODE_VERSION, format: SHARD_FORMAT_VERSION, features, fft, clip: clipIdentity(clip), resampler };
  const plans: ShardPlan[] = [];
  for (let first = 0; first < items.length; first += itemsPerShard) {
    const key = contentHash({ ...common, items: fingerprints.slice(first, first + itemsPerShard) }, 32);
    plans.push({ key, file: join(cacheDir, `${key}.feat`), first, items: items.slice(first, first + itemsPerShard) });
  }
  return plans;
}

async function fingerprint(item: CacheItem): Promise<[string, string, number | null, number | null]> {
  try {
    const info = await stat(item.path);
    // Whole milliseconds: copies that preserve times (cp -p, rsync -t, utimes) often keep
    // no finer precision, and size + ms-time is what make and rsync trust too.
    return [item.id, item.path, info.size, Math.floor(info.mtimeMs)];
  } catch {
    // Missing now: the shard records it as skipped; once the file exists the key changes.
    return [item.id, item.path, null, null];
  }
}
