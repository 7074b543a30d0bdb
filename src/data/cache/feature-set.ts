import { mkdir, readFile } from 'node:fs/promises';
import { constants as bufferConstants } from 'node:buffer';
import { UserError } from '../../util/errors.js';
import type { FeatureConfig } from '../../config/schema/features.js';
import type { ClipPolicy } from '../item.js';
import { writeFileAtomically } from '../../util/atomic.js';
import { AudioFileError, isAudioFileError } from '../audio/audio-error.js';
import { loadClip } from '../audio/load-clip.js';
import { clipLength } from '../audio/clip.js';
import type { ResamplerQuality } from '../audio/resample.js';
import { featureExtractor } from '../features/compute.js';
import { decodeShard, encodeShard, ShardCorruptError, type Shard, type SkippedItem } from './shard-format.js';
import { defaultItemsPerShard, planShards, type CacheItem, type ShardPlan } from './shard-plan.js';

export type { SkippedItem } from './shard-format.js';
export type BadFilePolicy = 'fail' | 'skip';

function policyFor(request: FeatureSetRequest, item: CacheItem): BadFilePolicy {
  const policy = request.onBadFile ?? 'fail';
  return typeof policy === 'function' ? policy(item) : policy;
}
export type { CacheItem } from './shard-plan.js';

export interface FeatureSetProgress {
  /** Items accounted for so far (stored or skipped). */
  done: number;
  total: number;
  computed: number;
  reused: number;
  skipped: number;
}

export interface FeatureSetRequest {
  items: readonly CacheItem[];
  features: FeatureConfig;
  clip: ClipPolicy;
  /** Folder of the shards, e.g. join(results, 'cache', 'features'). */
  cacheDir: string;
  /**
   * 'fail' (default): a bad file throws its AudioFileError; 'skip': it is left out and
   * listed. A function decides per item (datasets each have their own policy).
   */
  onBadFile?: BadFilePolicy | ((item: CacheItem) => BadFilePolicy);
  onProgress?: (progress: FeatureSetProgress) => void;
  /** Items per shard file; by default about 32 MiB of features per shard. */
  itemsPerShard?: number;
  resamplerQuality?: ResamplerQuality;
  /** Called when a shard on disk fails its checks and is rebuilt (file, problem). */
  onCorruptShard?: (file: string, problem: string) => void;
}

export interface FeatureShardResult extends Shard {
  /** True when read from the cache, false when computed now. */
  reused: boolean;
  /** The shard's position in the request: the index of its first item. */
  first: number;
}

export interface FeatureSet {
  ids: string[];
  shape: [bins: number, frames: number];
  /** ids.length x bins x frames, row-major. */
  data: Float32Array;
  skipped: SkippedItem[];
  /** Items whose features were computed in this call. */
  computed: number;
  /** Items read back from cached shards. */
  reused: number;
}

/**
 * Features for every item (clip policy applied), computed once and kept as
 * content-addressed binary shards in `cacheDir`: a second call with the same items,
 * files, features and clip policy reads the shards and computes nothing; a corrupt or
 * truncated shard is detected by its checksum and rebuilt. The result holds all items in
 * one Float32Array (n x bins x frames); for sets too large for memory, iterate
 * `featureShards` instead, which yields one shard at a time.
 */
export async function loadFeatureSet(request: FeatureSetRequest): Promise<FeatureSet> {
  const { shape, plans } = await prepare(request);
  const [bins, frames] = shape;
  const perItem = bins * frames;
  const bytes = request.items.length * perItem * 4;
  if (bytes > bufferConstants.MAX_LENGTH) {
    throw new UserError(
      `features for ${request.items.length} items of ${bins} x ${frames} need ${(bytes / 2 ** 30).toFixed(1)} GiB, more than one array can hold (${(bufferConstants.MAX_LENGTH / 2 ** 30).toFixed(0)} GiB): ` +
        'stream them with featureShards, or use fewer items, a shorter clip or fewer bins.',
    );
  }
  const data = new Float32Array(request.items.length * perItem);
  const ids: string[] = [];
  const skipped: SkippedItem[] = [];
  let computed = 0;
  let reused = 0;
  for await (const shard of shardsOf(request, plans, shape)) {
    // Skipped items leave no gap: shards are packed one after another.
    data.set(shard.data, ids.length * perItem);
    ids.push(...shard.ids);
    skipped.push(...shard.skipped);
    if (shard.reused) reused += shard.ids.length;
    else computed += shard.ids.length;
  }
  return { ids, shape, data: ids.length === request.items.length ? data : data.slice(0, ids.length * perItem), skipped, computed, reused };
}

/** The same work as loadFeatureSet, one shard at a time (constant memory in the set size). */
export async function* featureShards(request: FeatureSetRequest): AsyncGenerator<FeatureShardResult> {
  const { shape, plans } = await prepare(request);
  yield* shardsOf(request, plans, shape);
}

async function prepare(request: FeatureSetRequest): Promise<{ shape: [number, number]; plans: ShardPlan[] }> {
  const { clip, features } = request;
  const extractor = featureExtractor(features, clip.sampleRate);
  const shape = extractor.shape(clipLength(clip));
  const itemsPerShard = request.itemsPerShard ?? defaultItemsPerShard(...shape);
  if (!Number.isInteger(itemsPerShard) || itemsPerShard < 1) throw new RangeError(`itemsPerShard must be a positive integer, got ${itemsPerShard}`);
  await mkdir(request.cacheDir, { recursive: true });
  const resampler = `libsamplerate:${request.resamplerQuality ?? 'medium'}`;
  return { shape, plans: await planShards(request.items, extractor.config, clip, resampler, itemsPerShard, request.cacheDir) };
}

async function* shardsOf(request: FeatureSetRequest, plans: ShardPlan[], shape: [number, number]): AsyncGenerator<FeatureShardResult> {
  const progress: FeatureSetProgress = { done: 0, total: request.items.length, computed: 0, reused: 0, skipped: 0 };
  for (const plan of plans) {
    const cached = await readValidShard(plan, shape, request.onCorruptShard);
    const shard = cached ?? (await computeShard(request, plan, shape, progress));
    if (cached !== null) {
      // A shard written under 'skip' still stops a 'fail' run at its first bad file.
      const bad = shard.skipped.find((skipped) => policyFor(request, plan.items.find((item) => item.id === skipped.id && item.path === skipped.path) ?? skipped) !== 'skip');
      if (bad !== undefined) throw new AudioFileError(bad.path, bad.reason);
      progress.reused += shard.ids.length;
      progress.skipped += shard.skipped.length;
      progress.done += plan.items.length;
      request.onProgress?.({ ...progress });
    }
    yield { ...shard, reused: cached !== null, first: plan.first };
  }
}

/** The shard from disk if it exists and passes every check, else null (corrupt ones reported). */
async function readValidShard(plan: ShardPlan, shape: [number, number], onCorrupt?: (file: string, problem: string) => void): Promise<Shard | null> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(plan.file);
  } catch {
    return null;
  }
  try {
    const shard = decodeShard(bytes);
    if (shard.bins !== shape[0] || shard.frames !== shape[1]) throw new ShardCorruptError(`shape ${shard.bins}x${shard.frames}, expected ${shape.join('x')}`);
    const expected = plan.items.map((item) => item.id);
    const present = [...shard.ids, ...shard.skipped.map((s) => s.id)].sort();
    if (present.join('\n') !== [...expected].sort().join('\n')) throw new ShardCorruptError('its items are not the ones its key stands for');
    return shard;
  } catch (error) {
    if (!(error instanceof ShardCorruptError)) throw error;
    onCorrupt?.(plan.file, error.message);
    return null;
  }
}

async function computeShard(request: FeatureSetRequest, plan: ShardPlan, shape: [number, number], progress: FeatureSetProgress): Promise<Shard> {
  const extractor = featureExtractor(request.features, request.clip.sampleRate);
  const perItem = shape[0] * shape[1];
  const data = new Float32Array(plan.items.length * perItem);
  const ids: string[] = [];
  const skipped: SkippedItem[] = [];
  for (const item of plan.items) {
    let clip: Float32Array;
    try {
      clip = await loadClip(item, request.clip, { quality: request.resamplerQuality });
    } catch (error) {
      if (policyFor(request, item) !== 'skip' || !isAudioFileError(error)) throw error;
      skipped.push({ id: item.id, path: item.path, reason: error.problem });
      progress.skipped++;
      progress.done++;
      request.onProgress?.({ ...progress });
      continue;
    }
    extractor.compute(clip, data.subarray(ids.length * perItem, (ids.length + 1) * perItem));
    ids.push(item.id);
    progress.computed++;
    progress.done++;
    request.onProgress?.({ ...progress });
  }
  const shard: Shard = { ids, bins: shape[0], frames: shape[1], skipped, data: data.subarray(0, ids.length * perItem) };
  await writeFileAtomically(plan.file, encodeShard(shard));
  return shard;
}
