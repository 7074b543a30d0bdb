import { isPlainObject, splitPath } from './paths.js';

type Schema = Record<string, unknown>;

export type SchemaLookup =
  | { found: true; schemas: Schema[] }
  | { found: false; failedSegment: string; parentPath: string; known: string[] };

/**
 * The sub-schemas a dotted path can point to (several when an `anyOf` allows several
 * shapes, e.g. an expert set), or, for a path the schema does not have, which segment is
 * unknown and what keys were possible there (for did-you-mean).
 */
export function schemaAt(root: object, path: string): SchemaLookup {
  let current: Schema[] = [root as Schema];
  const segments = splitPath(path);
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index] as string;
    const next: Schema[] = [];
    const known = new Set<string>();
    for (const schema of current.flatMap(branches)) {
      const properties = schema['properties'];
      if (isPlainObject(properties)) {
        for (const key of Object.keys(properties)) known.add(key);
        const child = properties[segment];
        if (isPlainObject(child)) {
          next.push(child as Schema);
          continue;
        }
      }
      const additional = schema['additionalProperties'];
      if (isPlainObject(additional)) next.push(additional as Schema);
      else if (schema['type'] === 'object' && additional === undefined && !isPlainObject(properties)) next.push({});
    }
    if (next.length === 0) {
      return { found: false, failedSegment: segment, parentPath: segments.slice(0, index).join('.'), known: [...known] };
    }
    current = next;
  }
  return { found: true, schemas: current };
}

/** A schema and, for `anyOf`, each of its alternatives. */
function branches(schema: Schema): Schema[] {
  const anyOf = schema['anyOf'];
  if (Array.isArray(anyOf)) return anyOf.flatMap((s) => (isPlainObject(s) ? branches(s as Schema) : []));
  return [schema];
}
