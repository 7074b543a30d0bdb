import { createHash } from 'node:crypto';

/**
 * The binary shard file: a fixed header, a string table (item ids and skipped files),
 * then the features as little-endian float32, count x bins x frames. A SHA-256 of
 * everything after the header is stored in it, so a truncated or altered shard is
 * detected on read and rebuilt, never used. Reading costs one checksum and one copy;
 * nothing is parsed as text beyond the ids.
 *
 *   0  "ABLATEFS"            8  u32 format version   12 u32 stored items
 *  16  u32 bins              20 u32 frames          24 u32 skipped items
 *  28  u32 string table bytes 32 sha256 (32 bytes)  64 string table, then 0-3 pad bytes,
 *  then float32 data. Strings are u32 byte length + UTF-8, in order: the stored ids,
 *  then id, path, reason for each skipped item.
 */
export interface SkippedItem {
  id: string;
  path: string;
  reason: string;
}

export interface Shard {
  ids: string[];
  bins: number;
  frames: number;
  /** ids.length x bins x frames. */
  data: Float32Array;
  skipped: SkippedItem[];
}

const MAGIC = 'ABLATEFS';
export const SHARD_FORMAT_VERSION = 1;
const HEADER_BYTES = 64;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class ShardCorruptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShardCorruptError';
  }
}

export function encodeShard(shard: Shard): Uint8Array {
  const strings = [...shard.ids, ...shard.skipped.flatMap((s) => [s.id, s.path, s.reason])].map((s) => Buffer.from(s, 'utf8'));
  const tableBytes = strings.reduce((sum, s) => sum + 4 + s.length, 0);
  const dataStart = align4(HEADER_BYTES + tableBytes);
  const values = shard.ids.length * shard.bins * shard.frames;
  if (shard.data.length !== values) throw new RangeError(`shard data holds ${shard.data.length} values, expected ${values}`);
  const bytes = new Uint8Array(dataStart + values * 4);
  const view = new DataView(bytes.buffer);
  bytes.set(Buffer.from(MAGIC, 'ascii'), 0);
  [SHARD_FORMAT_VERSION, shard.ids.length, shard.bins, shard.frames, shard.skipped.length, tableBytes].forEach((v, i) => view.setUint32(8 + 4 * i, v, true));
  let at = HEADER_BYTES;
  for (const s of strings) {
    view.setUint32(at, s.length, true);
    bytes.set(s, at + 4);
    at += 4 + s.length;
  }
  writeFloats(shard.data, bytes, dataStart);
  bytes.set(sha256(bytes.subarray(HEADER_BYTES)), 32);
  return bytes;
}

/** Parses and verifies a shard; any inconsistency throws ShardCorruptError. */
export function decodeShard(bytes: Uint8Array): Shard {
  if (bytes.length < HEADER_BYTES) throw new ShardCorruptError(`only ${bytes.length} bytes, shorter than the header`);
  if (Buffer.from(bytes.subarray(0, 8)).toString('ascii') !== MAGIC) throw new ShardCorruptError('not a feature shard (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [version, count, bins, frames, skippedCount, tableBytes] = [0, 1, 2, 3, 4, 5].map((i) => view.getUint32(8 + 4 * i, true)) as [number, number, number, number, number, number];
  if (version !== SHARD_FORMAT_VERSION) throw new ShardCorruptError(`format version ${version}, expected ${SHARD_FORMAT_VERSION}`);
  const dataStart = align4(HEADER_BYTES + tableBytes);
  const expected = dataStart + count * bins * frames * 4;
  if (bytes.length !== expected) throw new ShardCorruptError(`${bytes.length} bytes, the header implies ${expected} (truncated?)`);
  if (!Buffer.from(sha256(bytes.subarray(HEADER_BYTES))).equals(Buffer.from(bytes.subarray(32, 64)))) throw new ShardCorruptError('checksum mismatch');
  const strings: string[] = [];
  let at = HEADER_BYTES;
  const tableEnd = HEADER_BYTES + tableBytes;
  while (at < tableEnd) {
    const length = view.getUint32(at, true);
    if (at + 4 + length > tableEnd) throw new ShardCorruptError('string table overruns its length');
    strings.push(Buffer.from(bytes.buffer, bytes.byteOffset + at + 4, length).toString('utf8'));
    at += 4 + length;
  }
  if (strings.length !== count + 3 * skippedCount) throw new ShardCorruptError(`string table holds ${strings.length} strings, expected ${count + 3 * skippedCount}`);
  const ids = strings.slice(0, count);
  const skipped: SkippedItem[] = [];
  for (let i = count; i < strings.length; i += 3) skipped.push({ id: strings[i]!, path: strings[i + 1]!, reason: strings[i + 2]! });
  return { ids, bins, frames, skipped, data: readFloats(bytes, dataStart, count * bins * frames) };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

function writeFloats(data: Float32Array, bytes: Uint8Array, at: number): void {
  if (LITTLE_ENDIAN) {
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  for (let i = 0; i < data.length; i++) view.setFloat32(at + 4 * i, data[i]!, true);
}

function readFloats(bytes: Uint8Array, at: number, length: number): Float32Array {
  const offset = bytes.byteOffset + at;
  if (LITTLE_ENDIAN && offset % 4 === 0) return new Float32Array(bytes.buffer, offset, length);
  const out = new Float32Array(length);
  const view = new DataView(bytes.buffer, offset);
  for (let i = 0; i < length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}
