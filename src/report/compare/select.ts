import { compileExpression } from 'filtrex';
import { UserError } from '../../util/errors.js';
import type { Configuration, ReportData } from '../data/types.js';

/**
 * The one configuration a `--a` / `--b` filter names: either its label exactly as the
 * report prints it ("moe mlp top-1"), or a filtrex expression over the trial's fields
 * (`gate.type == "mlp" and routing.mode == "soft"`, `pretrain.enabled == false`, `label == "..."`).
 */
export function selectConfiguration(data: ReportData, filter: string, option: string): Configuration {
  const byLabel = data.configurations.find((c) => c.label === filter.trim());
  if (byLabel) return byLabel;
  let predicate: (fields: Record<string, unknown>) => unknown;
  try {
    predicate = compileExpression(filter, {
      constants: { true: true, false: false, null: null },
      // A field the trial lacks (routing.k of soft routing) makes the trial not match.
      customProp: (name: string, get: (name: string) => unknown, object: Record<string, unknown>) => (name in object ? get(name) : missing),
    });
  } catch (error) {
    throw new UserError(`${option} ${JSON.stringify(filter)}: not a configuration label nor a valid filter (${firstLine(error)}). ${help(data)}`, { cause: error });
  }
  const matches = data.configurations.filter((c) =>
    c.trials.some((t) => {
      const result = predicate({ ...t.view, ...t.params, label: c.label });
      return result !== missing && !(result instanceof Error) && Boolean(result);
    }),
  );
  if (matches.length === 1) return matches[0] as Configuration;
  if (matches.length === 0) throw new UserError(`${option} ${JSON.stringify(filter)} matches no configuration of ${data.sweep.name}. ${help(data)}`);
  throw new UserError(
    `${option} ${JSON.stringify(filter)} matches ${matches.length} configurations (${matches.map((m) => JSON.stringify(m.label)).join(', ')}); ` +
      'add conditions until it names one, or give its label.',
  );
}

const missing = Symbol('missing field');

function help(data: ReportData): string {
  const labels = data.configurations.map((c) => JSON.stringify(c.label)).join(', ');
  const factors = data.factors.map((f) => f.path).join(', ');
  return `Configurations: ${labels}. Filter on: ${factors || 'kind'}, e.g. --a 'gate.type == "mlp"' (strings in double quotes).`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n', 1)[0] ?? '';
}
