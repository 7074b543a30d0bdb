import { describe, expect, it } from 'vitest';
import { decodeShard, encodeShard, ShardCorruptError, type Shard } from '../../../src/data/cache/shard-format.js';

const shard: Shard = {
  ids: ['LA_T_1000137', 'ünïcode id', 'x'],
  bins: 2,
  frames: 3,
  data: Float32Array.from({ length: 18 }, (_, i) => i / 7 - 1),
  skipped: [{ id: 'bad', path: '/data/bad.flac', reason: 'truncated or corrupt FLAC: 4096 of the 8000 declared samples could be decoded' }],
};

describe('shard format', () => {
  it('round-trips ids, skipped items and float32 values exactly', () => {
    const decoded = decodeShard(encodeShard(shard));
    expect(decoded.ids).toEqual(shard.ids);
    expect(decoded.skipped).toEqual(shard.skipped);
    expect([decoded.bins, decoded.frames]).toEqual([2, 3]);
    expect(Array.from(decoded.data)).toEqual(Array.from(shard.data));
  });

  it('reads data at an unaligned offset (e.g. a slice of a larger buffer)', () => {
    const bytes = encodeShard(shard);
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes, 1);
    expect(Array.from(decodeShard(padded.subarray(1)).data)).toEqual(Array.from(shard.data));
  });

  it('rejects every single-byte change and every truncation', () => {
    const bytes = encodeShard(shard);
    for (let i = 0; i < bytes.length; i++) {
      if (i >= 32 && i < 64) continue; // the checksum itself: covered below
      const changed = bytes.slice();
      changed[i] = changed[i]! ^ 0x10;
      expect(() => decodeShard(changed), `byte ${i}`).toThrow(ShardCorruptError);
    }
    const badSum = bytes.slice();
    badSum[40] = badSum[40]! ^ 1;
    expect(() => decodeShard(badSum)).toThrow(/checksum mismatch/);
    for (const length of [0, 10, 63, 64, bytes.length - 1]) expect(() => decodeShard(bytes.subarray(0, length))).toThrow(ShardCorruptError);
  });
});
