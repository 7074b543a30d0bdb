import { UserError } from '../util/errors.js';

/**
 * The checks every resolver in src/config shares. Bounds and defaults are read from the
 * schema consts (src/config/schema/), so a model built outside a sweep is held to the
 * same limits as a sweep file, and no second copy of a limit can drift from the first.
 */

/** `path` + `key`: JSON-pointer style under a pointer ('' or '/...'), dotted otherwise. */
export function child(path: string, key: string | number): string {
  return path === '' || path.startsWith('/') ? `${path}/${key}` : `${path}.${key}`;
}

/**
 * A broken rule of a trial's config. The message starts with `path`; `path` and `detail`
 * apart let the planner add where in the sweep file the field was set.
 */
export class ConfigRuleError extends UserError {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

export function fail(path: string, expected: string, got: unknown, hint = 'Fix the trial config in the sweep file.'): never {
  throw new ConfigRuleError(path, `expected ${expected}, got ${JSON.stringify(got)}. ${hint}`);
}

export function oneOf<T extends string>(path: string, value: unknown, choices: readonly T[]): T {
  if (!(choices as readonly unknown[]).includes(value)) fail(path, `one of ${choices.map((c) => `"${c}"`).join(', ')}`, value);
  return value as T;
}

/** The numeric keywords of a schema property. */
export interface NumberSchema {
  readonly type?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
}

/** A number within the bounds its schema property states (an integer where it says so). */
export function numberIn(path: string, value: unknown, schema: NumberSchema): number {
  const integer = schema.type === 'integer';
  const low = schema.exclusiveMinimum ?? schema.minimum;
  const high = schema.exclusiveMaximum ?? schema.maximum;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (schema.minimum === undefined || value >= schema.minimum) &&
    (schema.exclusiveMinimum === undefined || value > schema.exclusiveMinimum) &&
    (schema.maximum === undefined || value <= schema.maximum) &&
    (schema.exclusiveMaximum === undefined || value < schema.exclusiveMaximum);
  if (!ok) {
    const range = high === undefined ? `>= ${low ?? '-inf'}`.replace('>=', schema.exclusiveMinimum !== undefined ? '>' : '>=') : `${schema.exclusiveMinimum !== undefined ? '(' : '['}${low ?? '-inf'}, ${high}${schema.exclusiveMaximum !== undefined ? ')' : ']'}`;
    fail(path, `${integer ? 'an integer' : 'a number'} ${high === undefined ? range : `in ${range}`}`, value);
  }
  return value as number;
}

type Defaults<P> = { [K in keyof P as P[K] extends { readonly default: unknown } ? K : never]: P[K] extends { readonly default: infer D } ? D : never };

/** The `default` of each property that has one: the one place a default is written is the schema. */
export function defaultsOf<P extends Record<string, object>>(properties: P): Defaults<P> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) if ('default' in value) out[key] = (value as { default: unknown }).default;
  return out as Defaults<P>;
}
