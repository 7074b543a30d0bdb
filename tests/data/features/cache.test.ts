import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFeatureSet, featureShards, type FeatureSetRequest } from '../../../src/data/cache/index.js';
import { loadClip, AudioFileError } from '../../../src/data/audio/index.js';
import { computeFeatures } from '../../../src/data/features/index.js';
import type { ClipPolicy } from '../../../src/data/item.js';
import { repoRoot } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';
import { writeCorpus } from './corpus.js';

const mel = { kind: 'mel', nFft: 512, winLength: 400, hopLength: 160, window: 'hamming', fMin: 20, fMax: 7600, nMels: 40, preEmphasis: 0.97, meanNorm: true } as const;
const clip: ClipPolicy = { sampleRate: 16000, clipSeconds: 1, crop: 'random', seed: 5 };

function setup(count = 10, extra: Partial<FeatureSetRequest> = {}): FeatureSetRequest & { shards: () => string[] } {
  const dir = tempDir();
  const items = writeCorpus(join(dir), count);
  const cacheDir = join(dir, 'results', 'cache', 'features');
  return { items, features: mel, clip, cacheDir, itemsPerShard: 4, ...extra, shards: () => readdirSync(cacheDir).filter((f) => f.endsWith('.feat')).sort().map((f) => join(cacheDir, f)) };
}

describe('loadFeatureSet', () => {
  it('computes every item once, in order, exactly as loadClip + computeFeatures would', async () => {
    const request = setup(10);
    const set = await loadFeatureSet(request);
    expect(set.ids).toEqual(request.items.map((item) => item.id));
    expect(set.shape).toEqual([40, 101]);
    expect(set.data.length).toBe(10 * 40 * 101);
    expect([set.computed, set.reused, set.skipped.length]).toEqual([10, 0, 0]);
    expect(request.shards()).toHaveLength(3);
    for (const index of [0, 3, 9]) {
      const direct = computeFeatures(await loadClip(request.items[index]!, clip), 16000, mel).data;
      expect(Array.from(set.data.subarray(index * 4040, (index + 1) * 4040))).toEqual(Array.from(direct));
    }
  });

  it('reads everything back on a second run and computes nothing (not even decoding)', async () => {
    const request = setup(10);
    const first = await loadFeatureSet(request);
    // Overwrite every audio file with garbage of the same size and modification time:
    // any attempt to decode would now fail, so success proves the shards were used.
    for (const item of request.items) {
      const { size, atimeMs, mtimeMs } = statSync(item.path);
      writeFileSync(item.path, Buffer.alloc(size, 0x55));
      utimesSync(item.path, atimeMs / 1000, mtimeMs / 1000);
    }
    const progress: number[] = [];
    const second = await loadFeatureSet({ ...request, onProgress: (p) => progress.push(p.reused) });
    expect([second.computed, second.reused]).toEqual([0, 10]);
    expect(progress.at(-1)).toBe(10);
    expect(Buffer.from(second.data.buffer, second.data.byteOffset, second.data.byteLength).equals(Buffer.from(first.data.buffer, first.data.byteOffset, first.data.byteLength))).toBe(true);
  });

  it('recomputes only the shard whose file changed', async () => {
    const request = setup(10);
    await loadFeatureSet(request);
    const item = request.items[5]!;
    const { atimeMs, mtimeMs } = statSync(item.path);
    utimesSync(item.path, atimeMs / 1000, mtimeMs / 1000 + 5);
    const again = await loadFeatureSet(request);
    expect([again.computed, again.reused]).toEqual([4, 6]);
  });

  it('detects a corrupted or truncated shard, rebuilds it, and returns the right numbers', async () => {
    const request = setup(10);
    const original = await loadFeatureSet(request);
    // The two full shards (4 items each; the third holds 2).
    const [a, b] = request.shards().sort((x, y) => statSync(y).size - statSync(x).size);
    const bytes = readFileSync(a!);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0x01;
    writeFileSync(a!, bytes);
    truncateSync(b!, Math.floor(statSync(b!).size / 2));
    const problems: string[] = [];
    const rebuilt = await loadFeatureSet({ ...request, onCorruptShard: (file, problem) => problems.push(`${file}: ${problem}`) });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/checksum mismatch/);
    expect(problems.join('\n')).toMatch(/truncated/);
    expect([rebuilt.computed, rebuilt.reused]).toEqual([8, 2]);
    expect(Array.from(rebuilt.data)).toEqual(Array.from(original.data));
    // The rebuilt shards are valid again.
    const third = await loadFeatureSet(request);
    expect([third.computed, third.reused]).toEqual([0, 10]);
  });

  it('keys shards by features and clip policy; centre crops ignore the seed', async () => {
    const request = setup(4);
    await loadFeatureSet(request);
    expect((await loadFeatureSet({ ...request, features: { ...mel, nMels: 64 } })).computed).toBe(4);
    expect((await loadFeatureSet({ ...request, clip: { ...clip, seed: 6 } })).computed).toBe(4);
    const centre = { ...clip, crop: 'center' as const };
    expect((await loadFeatureSet({ ...request, clip: centre })).computed).toBe(4);
    expect((await loadFeatureSet({ ...request, clip: { ...centre, seed: 99 } })).reused).toBe(4);
    // Same config written differently (defaults spelled out) is the same cache entry.
    expect((await loadFeatureSet({ ...request, features: { ...mel, melScale: 'htk', norm: 'none', logEps: 1e-6 } })).reused).toBe(4);
  });

  it('caches waveform clips so augmentation can start from them', async () => {
    const request = setup(5, { features: { kind: 'waveform' } });
    const set = await loadFeatureSet(request);
    expect(set.shape).toEqual([1, 16000]);
    expect(Array.from(set.data.subarray(16000 * 2, 16000 * 3))).toEqual(Array.from(await loadClip(request.items[2]!, clip)));
    expect((await loadFeatureSet(request)).reused).toBe(5);
  });

  it("skips and records bad files with onBadFile 'skip', and stops on them otherwise", async () => {
    const request = setup(6);
    const audio = join(repoRoot, 'tests', 'fixtures', 'audio');
    copyFileSync(join(audio, 'truncated.flac'), request.items[1]!.path);
    const items = [...request.items, { ...request.items[0]!, id: 'missing', path: join(audio, 'not-there.wav') }];
    const failing = await loadFeatureSet({ ...request, items }).catch((e: unknown) => e);
    expect(failing).toBeInstanceOf(AudioFileError);
    expect((failing as AudioFileError).path).toBe(request.items[1]!.path);

    const set = await loadFeatureSet({ ...request, items, onBadFile: 'skip' });
    expect(set.ids).toEqual(['utt0', 'utt2', 'utt3', 'utt4', 'utt5']);
    expect(set.data.length).toBe(5 * 4040);
    expect(set.skipped.map((s) => [s.id, s.reason.split(':')[0]])).toEqual([
      ['utt1', 'truncated or corrupt FLAC'],
      ['missing', 'file not found'],
    ]);
    // The skip is remembered in the shard: a rerun reads it instead of decoding again...
    const again = await loadFeatureSet({ ...request, items, onBadFile: 'skip' });
    expect([again.computed, again.reused, again.skipped.length]).toEqual([0, 5, 2]);
    expect(Array.from(again.data)).toEqual(Array.from(set.data));
    // ...and a run that does not allow skipping still fails on it.
    await expect(loadFeatureSet({ ...request, items })).rejects.toThrow(/truncated or corrupt FLAC/);
  });

  it('streams shard by shard with featureShards', async () => {
    const request = setup(10);
    const seen: Array<[number, number, boolean]> = [];
    for await (const shard of featureShards(request)) seen.push([shard.first, shard.ids.length, shard.reused]);
    expect(seen).toEqual([[0, 4, false], [4, 4, false], [8, 2, false]]);
    const whole = await loadFeatureSet(request);
    expect(whole.reused).toBe(10);
  });
});
