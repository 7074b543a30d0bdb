import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { expandFile, minimalBase, writeSweep } from './sweep-fixtures.js';

function ids(file: string): string[] {
  return expandFile(file).trials.map((t) => t.id).sort();
}

describe('trial ids', () => {
  it('do not depend on key order, whitespace or number spelling', () => {
    const dir = tempDir();
    const a = writeSweep(dir, { name: 'a', base: minimalBase({ train: { lr: 0.001, epochs: 3 } }) }, 'a.json');
    const b = join(dir, 'b.json');
    // Same sweep written by hand: other key order, no whitespace, 1e-3 and 3.0.
    writeFileSync(
      b,
      '{"base":{"train":{"epochs":3.0,"lr":1e-3},"data":{"evaluate":{"unknown":["s:d5"],"known":["s:d1","s:d2"]},"train":["s:d1","s:d2"],"datasets":{"s":{"adapter":"synth"}}},"experts":[{"features":{"nMels":40,"kind":"mel"},"arch":"lcnn"}]},"name":"b"}',
    );
    expect(ids(a)).toEqual(ids(b));
  });

  it('an explicit default gives the same id as leaving it out', () => {
    const dir = tempDir();
    const implicit = writeSweep(dir, { name: 'x', base: minimalBase() }, 'implicit.json');
    const explicit = writeSweep(dir, { name: 'x', base: minimalBase({ kind: 'moe', gate: { type: 'mlp', hidden: 64 }, routing: { mode: 'soft' }, train: { epochs: 20 } }) }, 'explicit.json');
    expect(ids(implicit)).toEqual(ids(explicit));
  });

  it('do not depend on the sweep name or on names given to features and experts', () => {
    const dir = tempDir();
    const inline = writeSweep(dir, { name: 'one', base: minimalBase() }, 'inline.json');
    const named = writeSweep(
      dir,
      { name: 'two', features: { m: { kind: 'mel', nMels: 40 } }, experts: { e: { arch: 'lcnn', features: 'm' } }, base: minimalBase({ experts: ['e'] }) },
      'named.json',
    );
    expect(ids(inline)).toEqual(ids(named));
  });

  it('change when anything that affects the trial changes', () => {
    const dir = tempDir();
    const base = ids(writeSweep(dir, { name: 'x', base: minimalBase() }, 'base.json'));
    const otherSeed = ids(writeSweep(dir, { name: 'x', base: minimalBase(), seeds: [1] }, 'seed.json'));
    const otherFeatures = ids(writeSweep(dir, { name: 'x', base: minimalBase({ experts: [{ arch: 'lcnn', features: { kind: 'mel', nMels: 41 } }] }) }, 'feat.json'));
    expect(new Set([...base, ...otherSeed, ...otherFeatures]).size).toBe(3);
  });

  it('are pinned: a stored sweep must find its trials again after an upgrade', () => {
    // If this fails, the canonical form changed and every existing results store would
    // re-run its sweeps: change it only on purpose, with a store migration.
    const dir = tempDir();
    expect(ids(writeSweep(dir, { name: 'x', base: minimalBase() }))).toEqual([PINNED_MINIMAL_ID]);
  });
});

const PINNED_MINIMAL_ID = 'a9dfa7326089ec9a';
