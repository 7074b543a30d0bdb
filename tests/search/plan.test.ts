import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { repoRoot } from '../helpers/cli.js';
import { minimalBase, planFile, writeSweep } from './sweep-fixtures.js';

describe('job plan', () => {
  it('mile-grid: each pre-trained expert is one job per seed, not one per trial', () => {
    const plan = planFile(join(repoRoot, 'sweeps', 'mile-grid.json'));
    const moeTrials = plan.space.trials.filter((t) => t.config.kind === 'moe');
    const seeds = new Set(plan.space.trials.map((t) => t.config.seed)).size;
    const experts = 3;
    expect(moeTrials.length).toBeGreaterThanOrEqual(32);
    expect(plan.counts.pretrain.distinct).toBe(experts * seeds);
    // Every MoE trial with pre-training needs all three experts; singles and the ensemble reuse them.
    expect(plan.counts.pretrain.naive).toBeGreaterThan(plan.counts.pretrain.distinct * 10);
    // Two feature front ends (mel and log-spectrogram) are extracted once for the whole
    // sweep's training data, and once per evaluation set (seven) for the evaluated items.
    expect(plan.counts.features.distinct).toBe(2 + 2 * 7);
    expect(plan.counts['train-moe'].distinct).toBe(moeTrials.length);
    expect(plan.counts.evaluate.distinct).toBe(plan.space.trials.length);
  });

  it('dependencies come first and every dependency is a job of the plan', () => {
    const plan = planFile(join(repoRoot, 'sweeps', 'mile-grid.json'));
    for (const [, trialPlan] of plan.trials) {
      const seen = new Set<string>();
      for (const key of trialPlan.jobs) {
        const job = plan.jobs.get(key);
        expect(job).toBeDefined();
        for (const dep of job!.deps) expect(seen.has(dep), `${key} needs ${dep} first`).toBe(true);
        seen.add(key);
      }
      expect(trialPlan.result).toBe(trialPlan.jobs.at(-1));
      expect(plan.jobs.get(trialPlan.result)?.kind).toBe('evaluate');
    }
  });

  it('the gate-ablated control shares the mixture training job of its MoE trial', () => {
    const dir = tempDir();
    const plan = planFile(
      writeSweep(dir, {
        name: 'x',
        base: minimalBase({ experts: [{ arch: 'lcnn', features: { kind: 'mel' } }, { arch: 'resnet', features: { kind: 'mel' } }] }),
        grid: { kind: ['moe', 'gate-ablated'] },
      }),
    );
    expect(plan.space.trials).toHaveLength(2);
    expect(plan.counts['train-moe'].distinct).toBe(1);
    expect(plan.counts.evaluate.distinct).toBe(2);
  });

  it('a MILE single expert and joint training of the same expert are the same training job', () => {
    const dir = tempDir();
    const plan = planFile(writeSweep(dir, { name: 'x', base: minimalBase(), grid: { kind: ['single', 'joint'] } }));
    expect(plan.space.trials).toHaveLength(2);
    expect(plan.counts.pretrain.distinct).toBe(1);
  });

  it('MELE pre-trains one expert per training domain, shared by the mixture and its baselines', () => {
    const plan = planFile(join(repoRoot, 'sweeps', 'mele-grid.json'));
    const seeds = 3;
    const domains = 4;
    const pretrain = [...plan.jobs.values()].filter((j) => j.kind === 'pretrain');
    const perDomain = pretrain.filter((j) => Array.isArray(j.inputs['trainOn']) && (j.inputs['trainOn'] as string[]).length === 1);
    expect(perDomain).toHaveLength(domains * seeds);
    expect(new Set(perDomain.map((j) => (j.inputs['trainOn'] as string[])[0]))).toEqual(new Set(['synth:d1', 'synth:d2', 'synth:d3', 'synth:d4']));
  });

  it('turning pre-training off removes the pre-training jobs of that trial', () => {
    const dir = tempDir();
    const plan = planFile(writeSweep(dir, { name: 'x', base: minimalBase({ pretrain: { enabled: false } }) }));
    expect(plan.counts.pretrain.distinct).toBe(0);
    expect(plan.counts['train-moe'].distinct).toBe(1);
  });
});
