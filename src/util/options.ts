import { UserError } from './errors.js';

/**
 * Numeric command-line options, checked where yargs parses them. yargs' `type: 'number'`
 * turns `abc` into NaN and passes 0, -1 or 1.5 on unchanged, and `Math.max(1, NaN)` is NaN
 * (issue 15: `--max-attempts abc` retried a failing job forever). These options are left
 * untyped so the check sees what was typed, and `coerce` rejects anything outside the
 * range with exit 2, the option's name and what was expected. A coerce error reaches
 * main.ts's fail handler, which rethrows it as the UserError it is.
 *
 * Use: `.option('max-attempts', integerOption('max-attempts', { min: 1, max: 1000, default: 2, describe: '...' }))`.
 */
export interface IntegerRange {
  min: number;
  /** Inclusive; default Number.MAX_SAFE_INTEGER. */
  max?: number;
  /** What one unit is, for the message ("attempts", "Hz"); optional. */
  unit?: string;
}

export interface NumberRange {
  min?: number;
  max?: number;
  /** The bounds themselves are not allowed (e.g. a coverage level strictly between 0 and 1). */
  exclusive?: boolean;
}

interface OptionText {
  describe: string;
  default?: number;
}

/** A yargs option definition for a whole number in [min, max]. */
export function integerOption(name: string, range: IntegerRange & OptionText) {
  const { describe, default: fallback, ...bounds } = range;
  return {
    describe: `${describe} (${integerExpectation(bounds)})`,
    requiresArg: true,
    ...(fallback === undefined ? {} : { default: fallback }),
    coerce: (value: unknown) => checkInteger(name, lastOf(value), bounds),
  } as const;
}

/** A yargs option definition for a finite number, optionally bounded. */
export function numberOption(name: string, range: NumberRange & OptionText) {
  const { describe, default: fallback, ...bounds } = range;
  return {
    describe,
    requiresArg: true,
    ...(fallback === undefined ? {} : { default: fallback }),
    coerce: (value: unknown) => checkNumber(name, lastOf(value), bounds),
  } as const;
}

/** `value` as a whole number in the range, or a UserError naming `--name` (also for values from the environment). */
export function checkInteger(name: string, value: unknown, range: IntegerRange): number {
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  const number = toNumber(value);
  if (number === null || !Number.isInteger(number) || number < range.min || number > max) {
    throw new UserError(`--${name} ${shown(value)}: expected ${integerExpectation(range)}.`);
  }
  return number;
}

export function checkNumber(name: string, value: unknown, range: NumberRange): number {
  const number = toNumber(value);
  const { min, max, exclusive = false } = range;
  const below = min !== undefined && number !== null && (exclusive ? number <= min : number < min);
  const above = max !== undefined && number !== null && (exclusive ? number >= max : number > max);
  if (number === null || !Number.isFinite(number) || below || above) {
    throw new UserError(`--${name} ${shown(value)}: expected ${numberExpectation(range)}.`);
  }
  return number;
}

function integerExpectation({ min, max, unit }: IntegerRange): string {
  const what = `a whole number${unit ? ` of ${unit}` : ''}`;
  if (max === undefined || max === Number.MAX_SAFE_INTEGER) return `${what}, at least ${min}`;
  return `${what} from ${min} to ${max}`;
}

function numberExpectation({ min, max, exclusive }: NumberRange): string {
  if (min !== undefined && max !== undefined) return `a number ${exclusive ? 'strictly ' : ''}between ${min} and ${max}`;
  if (min !== undefined) return `a number ${exclusive ? 'above' : 'at least'} ${min}`;
  if (max !== undefined) return `a number ${exclusive ? 'below' : 'at most'} ${max}`;
  return 'a finite number';
}

/** yargs' numbers as they are; strings only when they are plainly decimal (no '', no '0x10'). */
function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

/** An option given twice arrives as an array: the last one wins, as for other options. */
function lastOf(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function shown(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (typeof value === 'string') return value === '' ? "''" : value;
  return String(value);
}
