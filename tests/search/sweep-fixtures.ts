import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandSweep, loadSweep, planSweep } from '../../src/search/index.js';

/** The smallest valid trial template: one expert, one dataset. */
export function minimalBase(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    experts: [{ arch: 'lcnn', features: { kind: 'mel', nMels: 40 } }],
    data: {
      datasets: { s: { adapter: 'synth' } },
      train: ['s:d1', 's:d2'],
      evaluate: { known: ['s:d1', 's:d2'], unknown: ['s:d5'] },
    },
    ...overrides,
  };
}

export function writeSweep(dir: string, sweep: Record<string, unknown>, name = 'sweep.json'): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(sweep, null, 2));
  return file;
}

export function expandFile(file: string) {
  return expandSweep(loadSweep(file));
}

export function planFile(file: string) {
  return planSweep(expandSweep(loadSweep(file)));
}
