import { jobFileSchema } from './job-file.js';
import { eventSchema } from './events.js';

/** The trainer protocol's two schemas as files (schema/), for trainers in any language to validate against. */
export function trainerSchemaDocuments(): Record<string, string> {
  const document = (schema: object) => `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...schema }, null, 2)}\n`;
  return { 'trainer-job.schema.json': document(jobFileSchema), 'trainer-event.schema.json': document(eventSchema) };
}
