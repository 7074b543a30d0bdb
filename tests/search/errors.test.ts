import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';
import { minimalBase, writeSweep } from './sweep-fixtures.js';

/** Run `ablate plan` on a file and check it fails like a tool, not like a program. */
function planFails(file: string): string {
  const result = runCli(['plan', file]);
  expect(result.status).toBe(2);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(result.stderr).toContain(file);
  expect(result.stdout).toBe('');
  return result.stderr;
}

describe('bad sweep files', () => {
  it('malformed JSON: line and column', () => {
    const file = join(tempDir(), 'bad.json');
    writeFileSync(file, '{\n  "name": "x",\n  "base": {,\n}\n');
    expect(planFails(file)).toMatch(/bad\.json:3:12: malformed JSON/);
  });

  it('an evaluation group named like a built-in one, or with an odd name: the key and the rule', () => {
    const dir = tempDir();
    const data = minimalBase()['data'] as Record<string, unknown>;
    const withGroups = (groups: Record<string, string[]>) => minimalBase({ data: { ...data, evaluate: { ...(data['evaluate'] as object), groups } } });
    const reserved = writeSweep(dir, { name: 'g', base: withGroups({ known: ['synth:d1'] }) }, 'reserved.json');
    expect(planFails(reserved)).toMatch(/groups: key "known" is reserved: it must not be one of "known", "unknown", "all"/);
    const odd = writeSweep(dir, { name: 'g', base: withGroups({ 'bad name!': ['synth:d1'] }) }, 'odd.json');
    expect(planFails(odd)).toMatch(/groups: key "bad name!" must match/);
  });

  it('an empty file', () => {
    const file = join(tempDir(), 'empty.json');
    writeFileSync(file, '  \n');
    expect(planFails(file)).toMatch(/the file is empty/);
  });

  it('a missing file', () => {
    const file = join(tempDir(), 'nope.json');
    expect(planFails(file)).toMatch(/no such file/);
  });

  it('a non-object', () => {
    const file = join(tempDir(), 'list.json');
    writeFileSync(file, '[1, 2]');
    expect(planFails(file)).toMatch(/top level must be a JSON object .*got an array/);
  });

  it('an unknown key, with a did-you-mean and its line', () => {
    const file = writeSweep(tempDir(), { name: 'x', base: { ...minimalBase(), gate: { tpye: 'mlp' } } });
    const message = planFails(file);
    expect(message).toMatch(/line \d+, base\.gate\.tpye: unknown key "tpye"\. Did you mean "type"\?/);
  });

  it('an unknown axis path, with a did-you-mean', () => {
    const file = writeSweep(tempDir(), { name: 'x', base: minimalBase(), grid: { 'routng.k': [1] } });
    expect(planFails(file)).toMatch(/grid\["routng\.k"\]: unknown field "routng" .*Did you mean "routing"\?/);
  });

  it('a wrong type, with the JSON path and what is allowed', () => {
    const file = writeSweep(tempDir(), { name: 'x', base: { ...minimalBase(), train: { epochs: 'ten' } } });
    expect(planFails(file)).toMatch(/base\.train\.epochs: must be integer \(got string "ten"\)/);
  });

  it('a wrong value on an axis, with the allowed values', () => {
    const file = writeSweep(tempDir(), { name: 'x', base: minimalBase(), grid: { 'gate.type': ['mlp', 'mpl'] } });
    expect(planFails(file)).toMatch(/grid\["gate\.type"\]\[1\]: must be one of "mlp", "transformer" \(got "mpl"\)\. Did you mean "mlp"\?/);
  });

  it('an out-of-range number', () => {
    const file = writeSweep(tempDir(), { name: 'x', base: { ...minimalBase(), routing: { k: 0 } } });
    expect(planFails(file)).toMatch(/base\.routing\.k: must be >= 1 \(got 0\)/);
  });

  it('a constraint that no trial can satisfy', () => {
    const file = writeSweep(tempDir(), { name: 'x', base: minimalBase(), constraints: ['numExperts > 3'] });
    expect(planFails(file)).toMatch(/expands to zero trials.*failed the constraint "numExperts > 3" \(no trial can satisfy it\)/s);
  });

  it('a constraint over an unknown field, and one that does not parse', () => {
    const file = writeSweep(tempDir(), { name: 'x', base: minimalBase(), constraints: ['gate.tipe == "mlp"', 'numExperts >>> 2'] });
    const message = planFails(file);
    expect(message).toMatch(/constraints\[0\]: .*unknown field "tipe" under "gate".*Did you mean "gate\.type"\?/);
    expect(message).toMatch(/constraints\[1\]: cannot parse constraint "numExperts >>> 2"/);
  });

  it('a grid that expands to zero trials, with the reason', () => {
    const file = writeSweep(tempDir(), { name: 'x', base: minimalBase(), exclude: [{ 'gate.type': 'mlp' }] });
    expect(planFails(file)).toMatch(/expands to zero trials\. Of 1 grid points: 1 matched an exclude pattern/);
  });

  it('an impossible rule (top-2 routing with one expert) is named', () => {
    const file = writeSweep(tempDir(), { name: 'x', base: { ...minimalBase(), routing: { mode: 'topk', k: 2 } } });
    expect(planFails(file)).toMatch(/zero trials.*top-k routing needs k <= the number of experts/s);
  });

  it('an unknown named expert, with a did-you-mean', () => {
    const file = writeSweep(tempDir(), { name: 'x', experts: { 'lcnn-mel': { arch: 'lcnn', features: { kind: 'mel' } } }, base: { ...minimalBase(), experts: ['lcnn-mle'] } });
    expect(planFails(file)).toMatch(/unknown expert "lcnn-mle"\. Did you mean "lcnn-mel"\?/);
  });

  it('--verbose is allowed and still gives the message', () => {
    const file = join(tempDir(), 'nope.json');
    const result = runCli(['plan', file, '--verbose']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no such file/);
  });
});

describe('ablate plan output', () => {
  it('--json prints only JSON with trials and job counts', () => {
    const file = writeSweep(tempDir(), { name: 'x', base: minimalBase(), grid: { 'gate.type': ['mlp', 'transformer'] }, seeds: [0, 1] });
    const result = runCli(['plan', file, '--json']);
    expect(result.status).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.trials).toHaveLength(4);
    expect(parsed.trials[0]).toHaveProperty('id');
    expect(parsed.trials[0]).toHaveProperty('config.experts');
    expect(parsed.jobs.pretrain).toEqual({ distinct: 2, naive: 4 });
  });

  it('text output lists axes, trials and the job-sharing table', () => {
    const file = writeSweep(tempDir(), { name: 'x', base: minimalBase(), grid: { 'gate.type': ['mlp', 'transformer'] } });
    const result = runCli(['plan', file]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/2 trials/);
    expect(result.stdout).toMatch(/gate\.type\s+mlp \| transformer/);
    expect(result.stdout).toMatch(/pretrain\s+1 \/\s+2/);
  });
});
