import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../util/errors.js';
import { writeFileAtomically } from '../util/atomic.js';

/**
 * Epoch checkpoints: a directory per checkpoint with manifest.json (everything but the
 * numbers) and tensors.bin (every array, float32 little-endian, back to back), plus
 * latest.json naming the newest complete one.
 *
 * Crash safety: a checkpoint is written into a temporary directory, its files fsynced,
 * the directory renamed to its final name and the parent fsynced; only then is latest.json
 * replaced atomically (write-file-atomic). A kill -9 at any moment leaves latest.json
 * naming a complete checkpoint (the previous one until the switch). Older checkpoints are
 * removed after the switch; readers never follow anything but latest.json.
 */

export const CHECKPOINT_FORMAT = 'ablate-checkpoint';
export const CHECKPOINT_VERSION = 1;
const LATEST = 'latest.json';
const MANIFEST = 'manifest.json';
const TENSORS = 'tensors.bin';

export interface NamedArray {
  /** Which set it belongs to: 'weights', 'best', 'adam.m', 'adam.v', or a caller's own. */
  group: string;
  name: string;
  shape: number[];
  values: Float32Array;
}

/** The JSON half of a checkpoint; `extra` is free-form state of the caller. */
export interface CheckpointMeta {
  /** Identifies the job configuration; resume refuses a checkpoint with another one. */
  fingerprint: string;
  /** Epochs completed. */
  epoch: number;
  /** Optimizer steps completed. */
  step: number;
  extra: Record<string, unknown>;
}

export interface Checkpoint extends CheckpointMeta {
  arrays: NamedArray[];
  /** The directory it was read from. */
  dir: string;
}

interface Manifest extends CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  tensors: Array<{ group: string; name: string; shape: number[]; offset: number; length: number }>;
  binary: { file: string; bytes: number; sha256: string };
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function checkpointName(epoch: number): string {
  return `epoch-${String(epoch).padStart(5, '0')}`;
}

/** Write a checkpoint under `root` and make it the latest. Returns its directory. */
export async function saveCheckpoint(root: string, meta: CheckpointMeta, arrays: NamedArray[]): Promise<string> {
  await mkdir(root, { recursive: true });
  let offset = 0;
  const tensors = arrays.map(({ group, name, shape, values }) => {
    const entry = { group, name, shape, offset, length: values.length };
    offset += values.length * 4;
    return entry;
  });
  const binary = Buffer.alloc(offset);
  for (const [i, { values }] of arrays.entries()) {
    // Float32Array is host-endian; every platform Node supports for ablate is little-endian.
    Buffer.from(values.buffer, values.byteOffset, values.byteLength).copy(binary, tensors[i]?.offset ?? 0);
  }
  const manifest: Manifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    ...meta,
    tensors,
    binary: { file: TENSORS, bytes: binary.length, sha256: createHash('sha256').update(binary).digest('hex') },
  };
  const name = checkpointName(meta.epoch);
  const staging = join(root, `.${name}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const final = join(root, name);
  await mkdir(staging);
  await writeFile(join(staging, TENSORS), binary);
  await writeFile(join(staging, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
  fsyncPath(join(staging, TENSORS));
  fsyncPath(join(staging, MANIFEST));
  fsyncPath(staging);
  // A directory of the same epoch can only be a leftover of an interrupted earlier run
  // that did not get to update latest.json; it is replaced.
  await rm(final, { recursive: true, force: true });
  await rename(staging, final);
  fsyncPath(root);
  await writeFileAtomically(join(root, LATEST), `${JSON.stringify({ checkpoint: name, epoch: meta.epoch })}\n`);
  await removeStale(root, name);
  return final;
}

async function removeStale(root: string, keep: string): Promise<void> {
  for (const entry of await readdir(root)) {
    if (entry === keep || entry === LATEST) continue;
    if (entry.startsWith('epoch-') || entry.startsWith('.epoch-')) await rm(join(root, entry), { recursive: true, force: true });
  }
}

function corrupt(path: string, what: string): UserError {
  return new UserError(`checkpoint ${path} is unreadable: ${what}. Delete the checkpoint directory to start the job from scratch.`);
}

/** The latest complete checkpoint under `root`, or null when there is none. */
export async function loadCheckpoint(root: string): Promise<Checkpoint | null> {
  let latestText: string;
  try {
    latestText = await readFile(join(root, LATEST), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const latestPath = join(root, LATEST);
  let latest: { checkpoint?: unknown };
  try {
    latest = JSON.parse(latestText) as { checkpoint?: unknown };
  } catch {
    throw corrupt(latestPath, 'not JSON');
  }
  if (typeof latest.checkpoint !== 'string' || !/^epoch-\d+$/.test(latest.checkpoint)) throw corrupt(latestPath, 'no "checkpoint" name');
  const dir = join(root, latest.checkpoint);
  const manifestPath = join(dir, MANIFEST);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  } catch (error) {
    throw corrupt(manifestPath, error instanceof SyntaxError ? 'not JSON' : 'missing');
  }
  if (manifest.format !== CHECKPOINT_FORMAT) throw corrupt(manifestPath, `format is ${JSON.stringify(manifest.format)}, expected ${CHECKPOINT_FORMAT}`);
  if (manifest.version !== CHECKPOINT_VERSION) throw corrupt(manifestPath, `version ${manifest.version}, this ablate reads version ${CHECKPOINT_VERSION}`);
  const binaryPath = join(dir, manifest.binary.file);
  const binary = await readFile(binaryPath).catch(() => {
    throw corrupt(binaryPath, 'missing');
  });
  if (binary.length !== manifest.binary.bytes || createHash('sha256').update(binary).digest('hex') !== manifest.binary.sha256) {
    throw corrupt(binaryPath, 'size or checksum does not match the manifest');
  }
  const arrays = manifest.tensors.map(({ group, name, shape, offset, length }) => {
    // Copy out (offsets need not be 4-byte aligned within the Buffer's pool).
    const values = new Float32Array(length);
    new Uint8Array(values.buffer).set(binary.subarray(offset, offset + length * 4));
    return { group, name, shape, values };
  });
  return { fingerprint: manifest.fingerprint, epoch: manifest.epoch, step: manifest.step, extra: manifest.extra, arrays, dir };
}
