import { compileExpression } from 'filtrex';
import { canonicalJson } from '../../util/hash.js';
import { UserError } from '../../util/errors.js';
import type { Configuration, ReportData } from '../data/types.js';

/**
 * The configurations a `--a` / `--b` filter names, in one of three forms:
 * - a label exactly as the report prints it ("moe mlp top-1 shared pretrain"): that one;
 * - words of labels ('moe mlp soft'): every configuration whose label has all of them
 *   ("no pretrain" is one word, so 'pretrain' does not match it; `path=value` words match a
 *   parameter, e.g. 'moe mlp moe.loss=shared');
 * - a filtrex expression over the trial's fields (`gate.type == "mlp" and routing.mode == "soft"`).
 */
export function selectConfigurations(data: ReportData, filter: string, option: string): Configuration[] {
  const byLabel = data.configurations.find((c) => c.label === filter.trim());
  if (byLabel) return [byLabel];
  const byWords = matchWords(data, filter);
  if (byWords !== null) {
    if (byWords.length === 0) throw new UserError(`${option} ${JSON.stringify(filter)}: no configuration of ${data.sweep.name} has all these words. ${help(data)}`);
    return byWords;
  }
  let predicate: (fields: Record<string, unknown>) => unknown;
  try {
    predicate = compileExpression(filter, {
      constants: { true: true, false: false, null: null },
      // A field the trial lacks (routing.k of soft routing) makes the trial not match.
      customProp: (name: string, get: (name: string) => unknown, object: Record<string, unknown>) => (name in object ? get(name) : missing),
    });
  } catch (error) {
    throw new UserError(
      `${option} ${JSON.stringify(filter)}: not a configuration label, nor words of labels (${unknownWords(data, filter).map((w) => JSON.stringify(w)).join(', ')} appear in none), ` +
        `nor a valid filter (${firstLine(error)}). ${help(data)}`,
      { cause: error },
    );
  }
  const matches = data.configurations.filter((c) =>
    c.trials.some((t) => {
      const result = predicate({ ...t.view, ...t.params, label: c.label });
      return result !== missing && !(result instanceof Error) && Boolean(result);
    }),
  );
  if (matches.length === 0) throw new UserError(`${option} ${JSON.stringify(filter)} matches no configuration of ${data.sweep.name}. ${help(data)}`);
  return matches;
}

/** The one configuration a filter names (the notebook's and older callers' form). */
export function selectConfiguration(data: ReportData, filter: string, option: string): Configuration {
  const matches = selectConfigurations(data, filter, option);
  if (matches.length === 1) return matches[0] as Configuration;
  throw new UserError(
    `${option} ${JSON.stringify(filter)} matches ${matches.length} configurations (${matches.map((m) => JSON.stringify(m.label)).join(', ')}); ` +
      'add conditions until it names one, or give its label.',
  );
}

const missing = Symbol('missing field');

/**
 * Configurations whose label words include every word of the filter, or null when the
 * filter is not made of label words (then it is read as an expression). Two-word phrases
 * ("no pretrain") are tried before single words.
 */
function matchWords(data: ReportData, filter: string): Configuration[] | null {
  const phrases = parseWords(data, filter);
  if (phrases === null) return null;
  return data.configurations.filter((c) => phrases.every((p) => c.words.includes(p) || parameterWord(c, p)));
}

function parseWords(data: ReportData, filter: string): string[] | null {
  const tokens = filter.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return null;
  const known = new Set(data.configurations.flatMap((c) => c.words));
  const phrases: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const pair = `${tokens[i]} ${tokens[i + 1] ?? ''}`;
    if (i + 1 < tokens.length && known.has(pair)) {
      phrases.push(pair);
      i++;
    } else if (known.has(tokens[i] as string) || isParameterWord(data, tokens[i] as string)) phrases.push(tokens[i] as string);
    else return null;
  }
  return phrases;
}

/** `path=value` names a varying parameter's value (strings bare, others as JSON). */
function parameterWord(c: Configuration, word: string): boolean {
  const at = word.indexOf('=');
  if (at <= 0) return false;
  const path = word.slice(0, at);
  if (!(path in c.params)) return false;
  const value = c.params[path];
  return word.slice(at + 1) === (typeof value === 'string' ? value : canonicalJson(value));
}

function isParameterWord(data: ReportData, word: string): boolean {
  return data.configurations.some((c) => parameterWord(c, word));
}

function unknownWords(data: ReportData, filter: string): string[] {
  const known = new Set(data.configurations.flatMap((c) => c.words.flatMap((w) => [w, ...w.split(' ')])));
  return filter
    .trim()
    .split(/\s+/)
    .filter((w) => w && !known.has(w) && !isParameterWord(data, w));
}

function help(data: ReportData): string {
  const labels = listLabels(data.configurations);
  const factors = data.factors.map((f) => f.path).join(', ');
  return `Configurations: ${labels}. Give label words (e.g. --a 'moe mlp'), or filter on: ${factors || 'kind'}, e.g. --a 'gate.type == "mlp"' (strings in double quotes).`;
}

/** Up to eight labels, then how many more: a 50-configuration sweep should not flood the terminal. */
export function listLabels(configurations: Configuration[], limit = 8): string {
  const shown = configurations.slice(0, limit).map((c) => JSON.stringify(c.label));
  return configurations.length > limit ? `${shown.join(', ')} and ${configurations.length - limit} more` : shown.join(', ');
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n', 1)[0] ?? '';
}
