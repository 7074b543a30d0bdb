import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { commandTrainerOf } from '../../src/config/schema/trainer.js';
import { minimalBase, planFile, writeSweep } from './sweep-fixtures.js';

describe('the shortcut probe in the plan', () => {
  it('is one trial and one job per data and seed, whatever experts, training or trainer the points name', () => {
    const dir = tempDir();
    const plan = planFile(
      writeSweep(dir, {
        name: 'probe-plan',
        base: minimalBase({ trainer: { command: ['python3', 'train.py'] } }),
        grid: { kind: ['single', 'moe', 'probe'], 'pretrain.epochs': [2, 3], 'data.augmentation': [{}, { rawboost: 1 }] },
        seeds: [0, 1],
      }),
    );
    const probes = plan.space.trials.filter((t) => t.config.kind === 'probe');
    expect(probes).toHaveLength(2);
    for (const trial of probes) {
      expect(trial.config.experts).toEqual([]);
      expect(Object.keys(trial.config).sort()).toEqual(['data', 'experts', 'kind', 'seed']);
      const trialPlan = plan.trials.get(trial.id);
      expect(trialPlan?.jobs).toHaveLength(1);
      const job = plan.jobs.get(trialPlan?.result as string);
      expect(job?.kind).toBe('probe');
      expect(job?.deps).toEqual([]);
      // No command trainer among its inputs: ablate runs it itself.
      expect(commandTrainerOf(job?.inputs as Record<string, unknown>)).toBeNull();
    }
    expect(plan.counts.probe).toEqual({ distinct: 2, naive: 2 });
    // The detectors of the same sweep do use the command trainer.
    const pretrain = [...plan.jobs.values()].find((j) => j.kind === 'pretrain');
    expect(commandTrainerOf(pretrain?.inputs as Record<string, unknown>)).not.toBeNull();
  });

  it('a different evaluation or training selection is a different probe', () => {
    const dir = tempDir();
    const keys = (data: Record<string, unknown>) => {
      const plan = planFile(writeSweep(dir, { name: 'p', base: minimalBase({ kind: 'probe', data: { ...(minimalBase().data as object), ...data } }) }));
      return [...plan.jobs.keys()];
    };
    const base = keys({});
    expect(base).toHaveLength(1);
    expect(base[0]).toMatch(/^probe-[0-9a-f]{16}$/);
    expect(keys({})).toEqual(base);
    expect(keys({ train: ['s:d1'] })).not.toEqual(base);
  });
});
