import { describe, expect, it } from 'vitest';
import { planFromFile } from '../../../src/search/index.js';
import { dependencyLevels, splitArrays } from '../../../src/exec/slurm/levels.js';
import { expandTaskIds, parseSacct, parseSqueue } from '../../../src/exec/slurm/task-states.js';
import { parseSlurmTime, warningSeconds } from '../../../src/exec/slurm/options.js';
import { simSweep } from '../sim-helpers.js';
import { tempDir } from '../../helpers/tmp.js';

describe('Slurm arrays: dependency levels and Slurm output', () => {
  it('puts each job one level after its latest submitted dependency, in plan order', () => {
    const plan = planFromFile(simSweep(tempDir()));
    const kinds = (levels: ReturnType<typeof dependencyLevels>) => levels.map((jobs) => jobs.map((j) => j.kind).join(','));
    const all = dependencyLevels(plan, new Set(plan.jobs.keys()));
    // Single-expert evaluations need only pre-training and features: they share level 3 with the mixtures.
    // Level 1: the training data's features and each evaluation set's (three).
    expect(all.map((jobs) => jobs.length)).toEqual([4, 4, 8, 4]);
    expect(kinds(all)[0]).toBe('features,features,features,features');
    expect(kinds(all)[1]).toBe('pretrain,pretrain,pretrain,pretrain');
    expect(new Set(all[2]!.map((j) => j.kind))).toEqual(new Set(['train-moe', 'evaluate']));
    for (const [i, jobs] of all.entries()) {
      for (const job of jobs) for (const dep of job.deps) expect(all.findIndex((l) => l.some((j) => j.key === dep))).toBeLessThan(i);
    }
    // With features and pre-training done, the levels close up: mixtures and single evaluations first.
    const rest = new Set([...plan.jobs.values()].filter((j) => j.kind === 'train-moe' || j.kind === 'evaluate').map((j) => j.key));
    const later = dependencyLevels(plan, rest);
    expect(later.map((jobs) => jobs.length)).toEqual([8, 4]);
    expect(later[1]!.every((j) => j.kind === 'evaluate' && j.deps.some((d) => d.startsWith('train-moe-')))).toBe(true);

    // A level larger than MaxArraySize becomes several arrays, in order, nothing lost.
    const arrays = splitArrays(all, 3);
    expect(arrays.map((a) => a.name)).toEqual(['level-1-1', 'level-1-2', 'level-2-1', 'level-2-2', 'level-3-1', 'level-3-2', 'level-3-3', 'level-4-1', 'level-4-2']);
    expect(arrays.map((a) => a.partLabel)).toEqual(['1/2', '2/2', '1/2', '2/2', '1/3', '2/3', '3/3', '1/2', '2/2']);
    expect(arrays.flatMap((a) => a.jobs)).toEqual(all.flat());
  });

  it('reads squeue and sacct lines, compressed pending arrays included', () => {
    expect(expandTaskIds('12_[0-3,7,9-13:2%4]')).toEqual(['12_0', '12_1', '12_2', '12_3', '12_7', '12_9', '12_11', '12_13']);
    expect(expandTaskIds('12_5')).toEqual(['12_5']);
    expect(parseSacct('12_0|COMPLETED\n12_1|CANCELLED by 0\n12_[2-3%2]|PENDING\n\n')).toEqual([
      ['12_0', 'COMPLETED'],
      ['12_1', 'CANCELLED'],
      ['12_2', 'PENDING'],
      ['12_3', 'PENDING'],
    ]);
    expect(parseSqueue('13_0|PENDING|DependencyNeverSatisfied\n13_1|RUNNING|None\n')).toEqual([
      ['13_0', { state: 'PENDING', reason: 'DependencyNeverSatisfied', source: 'squeue' }],
      ['13_1', { state: 'RUNNING', reason: null, source: 'squeue' }],
    ]);
  });

  it('reads time limits in every Slurm format and warns a tenth of the limit before it', () => {
    expect(parseSlurmTime('90')).toBe(5400);
    expect(parseSlurmTime('10:30')).toBe(630);
    expect(parseSlurmTime('4:00:00')).toBe(14_400);
    expect(parseSlurmTime('1-12')).toBe(129_600);
    expect(parseSlurmTime('1-12:30')).toBe(131_400);
    expect(parseSlurmTime('2-00:00:10')).toBe(172_810);
    expect(parseSlurmTime('UNLIMITED')).toBeNull();
    expect(() => parseSlurmTime('2h')).toThrow(/--time 2h: expected a Slurm time limit/);
    expect(warningSeconds({ timeSeconds: 600 })).toBe(60);
    expect(warningSeconds({ timeSeconds: 60 })).toBe(15);
    expect(warningSeconds({ timeSeconds: 86_400 })).toBe(300);
    expect(warningSeconds({ timeSeconds: null })).toBe(120);
  });
});
