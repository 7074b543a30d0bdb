import * as crypto from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * Canonical JSON (RFC 8785: sorted keys, ECMAScript number form), so key order,
 * whitespace and `1.0` vs `1` never change an id.
 */
export function canonicalJson(value: unknown): string {
  const text = (canonicalize as unknown as (v: unknown) => string | undefined)(value);
  if (text === undefined) throw new TypeError('value cannot be canonicalised to JSON');
  return text;
}

type OneShotHash = (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string;
/** Node >= 20.12 has a one-shot `crypto.hash`, about twice as fast for short inputs (no Hash object). */
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

export function sha256Hex(data: string | Uint8Array): string {
  if (oneShot) return oneShot('sha256', data, 'hex');
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** Content hash of a JSON value; `length` hex characters (64 bits by default: ample for sweeps). */
export function contentHash(value: unknown, length = 16): string {
  return sha256Hex(canonicalJson(value)).slice(0, length);
}

/**
 * Canonical JSON and content hashes with a per-instance memo keyed by object identity.
 * Planning a large sweep hashes the same sub-objects (a trial's `data`, its experts, its
 * gate) once per job and once per trial; because trials share those objects (the grid is
 * expanded with structural sharing), the memo turns that into once per distinct object.
 * Only valid for objects that are not mutated after they were first hashed: use one
 * instance per planning pass, after resolution is complete.
 *
 * Written by hand because the `canonicalize` package has no memo; the output is the same
 * RFC 8785 form for the JSON values ablate hashes (finite numbers, well-formed strings),
 * which tests/util/hash.test.ts checks against the package.
 */
export class ContentHasher {
  private readonly canonicalMemo = new WeakMap<object, string>();
  private readonly hashMemo = new WeakMap<object, string>();
  private readonly interned = new Map<string, object>();
  private readonly identities = new WeakMap<object, number>();
  private readonly splitMemo = new WeakMap<object, { field: string; prefix: string; after: string }>();
  private nextIdentity = 1;

  /**
   * The first object seen with this content: equal sub-objects of different trials become
   * one object, so their canonical text and hash are computed once and memory stays small.
   */
  intern<T>(value: T): T {
    if (value === null || typeof value !== 'object') return value;
    if (this.canonicalMemo.has(value)) {
      const known = this.interned.get(this.canonicalMemo.get(value) as string);
      if (known) return known as T;
    }
    // Look up without memoising: most candidates are one-off copies that are dropped.
    const text = this.canonical(value, false);
    const existing = this.interned.get(text);
    if (existing) return existing as T;
    this.canonicalMemo.set(value, text);
    this.interned.set(text, value as object);
    return value;
  }

  /**
   * A short token that is equal for the same object (or the same scalar): a cheap memo key
   * for work that depends on a tuple of interned objects.
   */
  identity(value: unknown): string {
    if (value === null || typeof value !== 'object') return canonicalScalar(value);
    let id = this.identities.get(value);
    if (id === undefined) {
      id = this.nextIdentity++;
      this.identities.set(value, id);
    }
    return `#${id}`;
  }

  /** Canonical JSON of a value; sub-objects are memoised, the root only when `memoRoot`. */
  canonical(value: unknown, memoRoot = true): string {
    if (value === null || typeof value !== 'object') return canonicalScalar(value);
    const cached = this.canonicalMemo.get(value);
    if (cached !== undefined) return cached;
    let text: string;
    if (Array.isArray(value)) {
      text = `[${value.map((v) => (v === undefined ? 'null' : this.canonical(v))).join(',')}]`;
    } else {
      const record = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const v = record[key];
        if (v === undefined) continue;
        parts.push(`${JSON.stringify(key)}:${this.canonical(v)}`);
      }
      text = `{${parts.join(',')}}`;
    }
    if (memoRoot) this.canonicalMemo.set(value, text);
    return text;
  }

  /**
   * sha256 of the canonical JSON, `length` hex characters. The root's canonical text is not
   * kept (a trial's full text is large and hashed once), only its hash.
   */
  hash(value: unknown, length = 16, memoDepth = 0): string {
    if (value === null || typeof value !== 'object') return sha256Hex(canonicalScalar(value)).slice(0, length);
    const cached = this.hashMemo.get(value);
    if (cached !== undefined) return cached.slice(0, length);
    const full = sha256Hex(this.canonicalShallow(value, memoDepth));
    this.hashMemo.set(value, full);
    return full.slice(0, length);
  }

  /**
   * sha256 of the canonical JSON of `{ ...base, [field]: value }`, `length` hex characters:
   * the same as `hash` of that object, but the text of `base`'s other fields is built once
   * per `base` (the trials of one grid point differ only in their seed).
   */
  hashWith(base: object, field: string, value: unknown, length = 16): string {
    if (value === undefined) return this.hash({ ...base, [field]: undefined }, length);
    let split = this.splitMemo.get(base);
    if (split === undefined || split.field !== field) {
      const before: string[] = [];
      const after: string[] = [];
      const record = base as Record<string, unknown>;
      for (const key of Object.keys(record).sort()) {
        const v = record[key];
        if (v === undefined || key === field) continue;
        (key < field ? before : after).push(`${JSON.stringify(key)}:${this.canonical(v)}`);
      }
      const prefix = `{${before.map((p) => `${p},`).join('')}${JSON.stringify(field)}:`;
      split = { field, prefix, after: `${after.map((p) => `,${p}`).join('')}}` };
      this.splitMemo.set(base, split);
    }
    return sha256Hex(split.prefix + this.canonical(value, false) + split.after).slice(0, length);
  }

  /** Canonical text whose top `depth + 1` levels are not memoised (they are one-off objects). */
  private canonicalShallow(value: object, depth: number): string {
    if (depth <= 0 || Array.isArray(value)) return this.canonical(value, false);
    const record = value as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const v = record[key];
      if (v === undefined) continue;
      const text = v !== null && typeof v === 'object' ? this.canonicalShallow(v, depth - 1) : canonicalScalar(v);
      parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  }
}

function canonicalScalar(value: unknown): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} is not allowed in canonical JSON`);
    return JSON.stringify(value);
  }
  if (typeof value === 'string' && !/[\ud800-\udfff]/.test(value)) return JSON.stringify(value);
  return canonicalJson(value);
}
