/** Dotted paths (`gate.type`, `data.augmentation.rawboost`) into plain JSON objects. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function splitPath(path: string): string[] {
  return path.split('.');
}

export function getPath(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const segment of splitPath(path)) {
    if (!isPlainObject(current)) return undefined;
    current = current[segment];
  }
  return current;
}

/**
 * Set `value` at `path` in a new root, creating objects on the way. Plain objects are merged
 * into an existing object (so an axis `routing: [{mode: "topk", k: 2}]` keeps base's other
 * routing fields); anything else replaces. Only the objects along the path are copied: the
 * rest stays shared with `object`, which keeps expanding a large grid cheap.
 */
export function withPath(object: JsonObject, path: string, value: Json): JsonObject {
  const [head, ...rest] = splitPath(path) as [string, ...string[]];
  const existing = object[head];
  let next: Json;
  if (rest.length > 0) next = withPath(isPlainObject(existing) ? existing : {}, rest.join('.'), value);
  else next = isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : value;
  return { ...object, [head]: next };
}

/** A new object: `over` merged into `base`, objects recursively, arrays and scalars replaced. */
export function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = clone(base);
  for (const [key, value] of Object.entries(over)) {
    const existing = out[key];
    out[key] = isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : clone(value);
  }
  return out;
}

export function clone<T extends Json>(value: T): T {
  return structuredClone(value);
}

/** Leaves of an object by dotted path; arrays are leaves (`experts` is one value). */
export function flatten(object: JsonObject, prefix = '', out: Record<string, Json> = {}): Record<string, Json> {
  for (const [key, value] of Object.entries(object)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(value) && Object.keys(value).length > 0) flatten(value, path, out);
    else out[path] = value;
  }
  return out;
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}
