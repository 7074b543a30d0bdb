import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { loadSweep, expandSweep } from '../../src/search/index.js';
import { sweepSchemaDocument } from '../../src/config/schema/document.js';
import { repoRoot } from '../helpers/cli.js';

function sweepFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sweepFiles(path) : name.endsWith('.json') ? [path] : [];
  });
}

describe('sweep schema', () => {
  const files = sweepFiles(join(repoRoot, 'sweeps'));

  it('ships the sweeps the project promises', () => {
    const names = files.map((f) => f.slice(repoRoot.length + 1));
    for (const expected of ['sweeps/smoke.json', 'sweeps/mile-grid.json', 'sweeps/mele-grid.json', 'sweeps/paper/icassp25.json', 'sweeps/paper/wifs25.json']) {
      expect(names).toContain(expected);
    }
  });

  it.each(files.map((f) => [f.slice(repoRoot.length + 1), f]))('%s validates and expands', (_name, file) => {
    const space = expandSweep(loadSweep(file));
    expect(space.trials.length).toBeGreaterThan(0);
  });

  it('every shipped sweep also validates against the emitted JSON Schema file (what editors use)', () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, 'schema', 'sweep.schema.json'), 'utf8'));
    const validate = new Ajv({ strict: false }).compile(schema);
    for (const file of files) {
      const ok = validate(JSON.parse(readFileSync(file, 'utf8')));
      expect(ok, `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('schema/sweep.schema.json is up to date with the schema in src (run `npm run schema`)', () => {
    expect(readFileSync(join(repoRoot, 'schema', 'sweep.schema.json'), 'utf8')).toBe(sweepSchemaDocument());
  });
});
