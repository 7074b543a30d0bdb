import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { DatasetAdapter } from './adapter.js';
import { UserError } from '../../util/errors.js';

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, verbose: true });
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Check an adapter's options against its schema and fill the defaults. Problems name the
 * dataset and the option as it is written in the sweep (datasets.<name>.options.<key>).
 */
export function validateOptions(adapter: DatasetAdapter, datasetName: string, options: unknown): Record<string, unknown> {
  const value = structuredClone(options ?? {}) as Record<string, unknown>;
  let validate = compiled.get(adapter.optionsSchema);
  if (validate === undefined) {
    validate = ajv.compile(adapter.optionsSchema);
    compiled.set(adapter.optionsSchema, validate);
  }
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map((error) => phrase(error, adapter, datasetName));
    throw new UserError(
      `dataset "${datasetName}" (${adapter.name}): ${[...new Set(problems)].join('; ')}. Options of ${adapter.name}: ${Object.keys(adapter.optionsSchema.properties).join(', ')}.`,
    );
  }
  return value;
}

function phrase(error: ErrorObject, adapter: DatasetAdapter, datasetName: string): string {
  // The JSON path as it reads in a sweep file.
  const path = `datasets.${datasetName}.options${error.instancePath.replace(/\//g, '.')}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown option ${path}.${String(params['additionalProperty'])} for ${adapter.name}`;
    case 'enum':
      return `${path} must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(error.data)})`;
    case 'type':
      return `${path} must be ${String(params['type'])} (got ${JSON.stringify(error.data)})`;
    default:
      return `${path} ${error.message ?? 'is invalid'}`;
  }
}
