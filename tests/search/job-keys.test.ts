import { describe, expect, it } from 'vitest';
import { planSweep, type Plan } from '../../src/search/index.js';
import { tempDir } from '../helpers/tmp.js';
import { expandFile, minimalBase, writeSweep } from './sweep-fixtures.js';

function planOf(sweep: Record<string, unknown>): Plan {
  return planSweep(expandFile(writeSweep(tempDir(), sweep)));
}

const sweep = {
  name: 'keys',
  base: minimalBase(),
  grid: { kind: ['moe', 'single', 'ensemble', 'budget-single'], 'pretrain.enabled': [true, false] },
  seeds: [0, 1],
};

describe('job keys', () => {
  it('are pinned: a stored sweep must find its jobs done after an upgrade', () => {
    // If this fails, job keys changed and every existing results store would redo its
    // work: change them only on purpose, with a store migration.
    const keys = [...planOf(sweep).jobs.keys()].sort();
    expect(keys).toEqual(PINNED_KEYS);
  });

  it('do not depend on whether trials carry their shared base (the planner memo)', () => {
    const space = expandFile(writeSweep(tempDir(), sweep));
    const withBase = planSweep(space);
    const withoutBase = planSweep({ ...space, trials: space.trials.map(({ id, config }) => ({ id, config })) });
    expect([...withoutBase.jobs.keys()]).toEqual([...withBase.jobs.keys()]);
    expect([...withoutBase.trials.values()]).toEqual([...withBase.trials.values()]);
  });
});

const PINNED_KEYS = [
  'evaluate-10d7c6b49d6f46e1',
  'evaluate-17e320f12364a694',
  'evaluate-612266916b59dc6b',
  'evaluate-6600ca81ed9b7a39',
  'evaluate-6f1e344c9df9249e',
  'evaluate-bedf38a46921c915',
  'evaluate-c5057505dc8e2576',
  'evaluate-feff7a1087cfb3a7',
  'features-c441461d9807a407',
  'pretrain-b860f8a3514270e9',
  'pretrain-f8ee7380634f79e8',
  'train-moe-372f86c5a00628d3',
  'train-moe-383743f6e7a91dd0',
  'train-moe-66ec6aa53f2f380d',
  'train-moe-79a405ce597b1940',
  'train-moe-d0a75609facf6457',
  'train-moe-f387ef4b868c010b',
];
