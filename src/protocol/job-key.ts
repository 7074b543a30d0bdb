import { sha256Hex, type ContentHasher } from '../util/hash.js';
import type { JobKind } from './job-spec.js';

/**
 * How every job key is made, for every kind: `<kind>-` and 16 hex of the sha256 of a text
 * that is the kind followed by one line per input, in name order (`keyLine`). It is a
 * Merkle-style hash: an input is written as the hash of its canonical JSON (RFC 8785), so
 * a section many jobs share is hashed once. Stores key their work by it: a changed key makes
 * every existing store redo that work (tests/search/job-keys.test.ts pins them).
 */
export function jobKey(hasher: ContentHasher, kind: JobKind, inputs: object): string {
  const record = inputs as Record<string, unknown>;
  let lines = '';
  for (const name of Object.keys(record).sort()) lines += keyLine(hasher, name, record[name]);
  return keyFromLines(kind, lines);
}

/**
 * The key from the lines of all inputs, in name order. For a planner that writes the lines
 * of what many jobs share once (the mixture-training jobs of a grid point differ only in
 * their seed and start); `jobKey` is this over all lines.
 */
export function keyFromLines(kind: JobKind, lines: string): string {
  return `${kind}-${sha256Hex(kind + lines).slice(0, 16)}`;
}

/** One input's line: scalars and lists of strings (job keys, selectors) are short, so their canonical JSON stands in for a hash. */
export function keyLine(hasher: ContentHasher, name: string, value: unknown): string {
  const digest = isShortValue(value) ? hasher.canonical(value, false) : hasher.hash(value, 64);
  return `\n${name}=${digest}`;
}

function isShortValue(value: unknown): boolean {
  return value === null || typeof value !== 'object' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}
