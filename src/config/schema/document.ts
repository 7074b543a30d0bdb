import { sweepSchema } from './sweep.js';

/** The sweep schema as the JSON Schema file editors read (schema/sweep.schema.json). */
export function sweepSchemaDocument(): string {
  return JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...sweepSchema }, null, 2) + '\n';
}
