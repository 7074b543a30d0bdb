import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';
import { readablePath } from './json-source.js';

/** One problem found in a document, already phrased for a user. */
export interface Problem {
  pointer: string;
  message: string;
}

const strictAjv = new Ajv({ allErrors: true, verbose: true, strict: false });
const defaultingAjv = new Ajv({ allErrors: true, verbose: true, strict: false, useDefaults: true });
const compiled = new WeakMap<object, ValidateFunction>();
const compiledWithDefaults = new WeakMap<object, ValidateFunction>();

/** Compile once per schema object (ajv compilation dominates planning otherwise). */
export function validatorFor(schema: object, options: { fillDefaults?: boolean } = {}): ValidateFunction {
  const cache = options.fillDefaults ? compiledWithDefaults : compiled;
  let validate = cache.get(schema);
  if (!validate) {
    validate = (options.fillDefaults ? defaultingAjv : strictAjv).compile(schema);
    cache.set(schema, validate);
  }
  return validate;
}

/** Validate `value`; problems come back phrased, with pointers relative to `basePointer`. */
export function checkAgainst(schema: object, value: unknown, basePointer = '', options: { fillDefaults?: boolean } = {}): Problem[] {
  const validate = validatorFor(schema, options);
  if (validate(value)) return [];
  return explain(validate.errors ?? [], basePointer);
}

/**
 * Turn ajv's raw errors into the few a user needs. Under `anyOf` ajv reports every
 * branch's failure; the errors that reach deepest into the document say what is wrong,
 * so keep those and drop the summaries.
 */
export function explain(errors: ErrorObject[], basePointer = ''): Problem[] {
  // propertyNames only summarises the error its sub-schema raised, which names the key.
  const useful = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'if' && e.keyword !== 'propertyNames');
  const byPointer = new Map<string, ErrorObject[]>();
  for (const error of useful) {
    const list = byPointer.get(error.instancePath) ?? [];
    list.push(error);
    byPointer.set(error.instancePath, list);
  }
  // Drop an error on a value when a deeper error explains it (a branch that got further).
  const pointers = [...byPointer.keys()].filter(
    (p) => ![...byPointer.keys()].some((other) => other !== p && other.startsWith(p + '/')),
  );
  const problems: Problem[] = [];
  for (const pointer of pointers.sort()) {
    const group = byPointer.get(pointer) ?? [];
    // Type mismatches under anyOf repeat one per branch; one clear sentence is enough.
    const typeErrors = group.filter((e) => e.keyword === 'type');
    const others = group.filter((e) => e.keyword !== 'type');
    const chosen = others.length > 0 ? others : typeErrors.slice(0, 1);
    if (typeErrors.length > 1 && others.length === 0) {
      const types = [...new Set(typeErrors.map((e) => String(e.params['type'])))];
      problems.push({ pointer: basePointer + pointer, message: `must be ${types.join(' or ')} (got ${describe(group[0]?.data)})` });
      continue;
    }
    for (const error of dedupe(chosen)) {
      // Point unknown keys at the key itself, so the line number is the offending line.
      const extra = error.keyword === 'additionalProperties' ? `/${String(error.params['additionalProperty']).replace(/~/g, '~0').replace(/\//g, '~1')}` : '';
      problems.push({ pointer: basePointer + pointer + extra, message: phrase(error) });
    }
  }
  return problems;
}

function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.keyword}:${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function phrase(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperty':
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = allowed.length > 0 ? closest(key, allowed) : undefined;
      const hint = suggestion && similar(key, suggestion) ? ` Did you mean "${suggestion}"?` : '';
      const list = allowed.length > 0 ? ` Allowed: ${allowed.join(', ')}.` : '';
      return `unknown key "${key}".${hint}${list}`;
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v));
      const got = shownValue(error.data);
      const suggestion = typeof error.data === 'string' ? closest(error.data, (params['allowedValues'] as unknown[]).map(String)) : undefined;
      const hint = suggestion && typeof error.data === 'string' && similar(error.data, suggestion) ? ` Did you mean "${suggestion}"?` : '';
      return `must be one of ${allowed.join(', ')} (got ${got}).${hint}`;
    }
    case 'type':
      return `must be ${String(params['type'])} (got ${describe(error.data)})`;
    case 'required':
      return `missing required key "${String(params['missingProperty'])}"`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${error.message ?? 'out of range'} (got ${shownValue(error.data)})`;
    case 'not': {
      // `not: {enum: [...]}`: reserved values, such as the built-in evaluation group names.
      const reserved = (error.schema as { enum?: unknown[] } | undefined)?.enum;
      const what = error.propertyName !== undefined ? `key "${error.propertyName}"` : `value ${shownValue(error.data)}`;
      if (reserved) return `${what} is reserved: it must not be one of ${reserved.map((v) => JSON.stringify(v)).join(', ')}`;
      return `${what} ${error.message ?? 'is invalid'}`;
    }
    case 'pattern':
      if (error.propertyName !== undefined) return `key "${error.propertyName}" must match ${String(params['pattern'])}`;
      return `must match ${String(params['pattern'])} (got ${shownValue(error.data)})`;
    default:
      return `${error.message ?? 'is invalid'}${error.data !== undefined && typeof error.data !== 'object' ? ` (got ${shownValue(error.data)})` : ''}`;
  }
}

/** Whether a suggestion is close enough to be worth offering. */
function similar(a: string, b: string): boolean {
  return distance(a.toLowerCase(), b.toLowerCase()) <= Math.max(2, Math.floor(Math.max(a.length, b.length) / 3));
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${shownValue(value)}`;
}

/** A value as JSON for a message, cut to 80 characters: a 50 MB string must not be echoed whole. */
export function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= 80 ? text : `${text.slice(0, 60)}... (${text.length} characters)`;
}

export { readablePath };
