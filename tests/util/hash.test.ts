import { describe, expect, it } from 'vitest';
import { ContentHasher, canonicalJson, contentHash } from '../../src/util/hash.js';

/** A small seeded generator (mulberry32), so the random values are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const keys = ['a', 'b', 'seed', 'Z', 'é', 'k10', 'k9', 'gate', '', 'x y'];

function randomJson(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth <= 0 || pick < 0.4) {
    const scalar = next();
    if (scalar < 0.2) return null;
    if (scalar < 0.35) return next() < 0.5;
    if (scalar < 0.6) return Math.round((next() - 0.5) * 1e6) / 10 ** Math.floor(next() * 8);
    if (scalar < 0.7) return next() * 1e21;
    return keys[Math.floor(next() * keys.length)] + '"\\\n'.slice(0, Math.floor(next() * 4));
  }
  if (pick < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => randomJson(next, depth - 1));
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 5); i > 0; i--) out[keys[Math.floor(next() * keys.length)] as string] = randomJson(next, depth - 1);
  return out;
}

describe('ContentHasher', () => {
  it('writes the same RFC 8785 text as the canonicalize package, memoised or not', () => {
    const next = rng(7);
    const hasher = new ContentHasher();
    for (let i = 0; i < 500; i++) {
      const value = randomJson(next, 4);
      expect(hasher.canonical(value)).toBe(canonicalJson(value));
      // A second call reads the memo: still the same text.
      expect(hasher.canonical(value)).toBe(canonicalJson(value));
      expect(hasher.hash(value)).toBe(contentHash(value));
    }
  });

  it('hashWith equals the hash of the base with the field set, wherever the field sorts', () => {
    const next = rng(11);
    const hasher = new ContentHasher();
    for (let i = 0; i < 300; i++) {
      const base = randomJson(next, 3);
      if (base === null || typeof base !== 'object' || Array.isArray(base)) continue;
      const field = keys[Math.floor(next() * keys.length)] as string;
      for (const value of [0, 41, 'x', { nested: [1, 2] }]) {
        expect(hasher.hashWith(base, field, value)).toBe(contentHash({ ...base, [field]: value }));
      }
    }
  });

  it('interns equal content to one object and tells different content apart', () => {
    const hasher = new ContentHasher();
    const first = hasher.intern({ b: [1, 2], a: 'x' });
    expect(hasher.intern({ a: 'x', b: [1, 2] })).toBe(first);
    expect(hasher.intern({ a: 'x', b: [2, 1] })).not.toBe(first);
    expect(hasher.identity(first)).toBe(hasher.identity(hasher.intern({ a: 'x', b: [1, 2] })));
  });
});
