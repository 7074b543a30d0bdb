/**
 * Writes schema/sweep.schema.json from the schema const in src/config/schema, so editors
 * can complete and check sweep files through `"$schema"`. A test fails when it is stale:
 * run `npm run schema` after changing the schema.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sweepSchemaDocument } from '../src/config/schema/document.js';
import { trainerSchemaDocuments } from '../src/trainers/schema-documents.js';

const target = fileURLToPath(new URL('../schema/sweep.schema.json', import.meta.url));
writeFileSync(target, sweepSchemaDocument());
console.log(`wrote ${target}`);
for (const [name, text] of Object.entries(trainerSchemaDocuments())) {
  const file = fileURLToPath(new URL(`../schema/${name}`, import.meta.url));
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
