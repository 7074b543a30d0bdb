import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { tempDir } from '../helpers/tmp.js';
import { planFile, writeSweep } from '../search/sweep-fixtures.js';
import { jobInputsSchemas } from '../../src/protocol/job-spec-schema.js';
import { jobKey } from '../../src/protocol/job-key.js';
import { jobKinds, type JobSpec } from '../../src/protocol/job-spec.js';
import { ContentHasher } from '../../src/util/hash.js';
import type { Plan } from '../../src/search/index.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = Object.fromEntries(jobKinds.map((kind) => [kind, ajv.compile(jobInputsSchemas[kind])]));

/** The problems of a job's inputs against its kind's schema ([] when they have the kind's shape). */
function problems(job: Pick<JobSpec, 'kind' | 'inputs'>): string[] {
  const validate = validators[job.kind];
  if (!validate) return [`no schema for kind ${job.kind}`];
  return validate(job.inputs) ? [] : (validate.errors ?? []).map((e) => `${job.kind}${e.instancePath} ${e.message}`);
}

/** sweeps/smoke.json with a probe trial, a command trainer, augmentation, validation sets and item caps: every optional input. */
function smokeAndMore(): Plan {
  const smoke = JSON.parse(readFileSync('sweeps/smoke.json', 'utf8')) as { base: { data: Record<string, unknown> } } & Record<string, unknown>;
  const { $schema: _schema, ...sweep } = smoke;
  return planFile(
    writeSweep(tempDir(), {
      ...sweep,
      name: 'job-spec',
      base: {
        ...smoke.base,
        trainer: { command: ['python3', 'train.py'] },
        data: { ...smoke.base.data, validation: ['synth:d1'], augmentation: { rawboost: 1 }, maxItems: { train: 5, dev: 3, eval: 4 } },
      },
      include: [{ kind: 'single' }, { kind: 'probe' }, { kind: 'ensemble' }, { kind: 'budget-single' }, { kind: 'gate-ablated' }],
    }),
  );
}

describe('the typed job contract', () => {
  const plans: Array<[string, () => Plan]> = [
    ['sweeps/smoke.json', () => planFile('sweeps/smoke.json')],
    ['smoke with a probe, a command trainer, augmentation and caps', smokeAndMore],
  ];

  it.each(plans)('%s: every planned job has its kind\'s inputs, and the one key function gives its key', (_name, plan) => {
    const jobs = [...plan().jobs.values()];
    const hasher = new ContentHasher();
    for (const job of jobs) {
      expect(problems(job), job.key).toEqual([]);
      expect(jobKey(hasher, job.kind, job.inputs), job.key).toBe(job.key);
      expect(job.key.startsWith(`${job.kind}-`)).toBe(true);
    }
    const kinds = new Set(jobs.map((j) => j.kind));
    expect([...kinds].sort()).toEqual(_name.startsWith('smoke with') ? [...jobKinds].sort() : ['evaluate', 'features', 'pretrain', 'train-moe']);
    // Both shapes of a feature job: a trial's training sets, and one evaluation set.
    const features = jobs.filter((j) => j.kind === 'features');
    expect(features.some((j) => 'evaluationSet' in j.inputs)).toBe(true);
    expect(features.some((j) => !('evaluationSet' in j.inputs))).toBe(true);
  });

  it('the optional inputs are planned where they apply, and never for evaluation in training jobs', () => {
    const jobs = [...smokeAndMore().jobs.values()];
    for (const job of jobs) {
      if (job.kind === 'pretrain' || job.kind === 'evaluate') expect(job.inputs.trainer).toEqual({ command: ['python3', 'train.py'] });
      if (job.kind === 'train-moe') expect(job.inputs.data.augmentation).toMatchObject({ rawboost: 1 });
      if (job.kind === 'pretrain') expect(job.inputs.augmentation).toMatchObject({ rawboost: 1 });
      if (job.kind === 'features' && !('evaluationSet' in job.inputs)) expect(job.inputs.data.maxItems).toEqual({ train: 5, dev: 3 });
      if (job.kind === 'features' && 'evaluationSet' in job.inputs) expect(job.inputs.data.maxItems).toEqual({ eval: 4 });
    }
    expect(new Set(jobs.filter((j) => j.kind === 'evaluate').map((j) => j.inputs.target))).toEqual(new Set(['moe', 'single', 'ensemble', 'gate-ablated']));
  });

  it('the check fails on a job of the wrong shape', () => {
    const jobs = [...planFile('sweeps/smoke.json').jobs.values()];
    const pick = <K extends JobSpec['kind']>(kind: K) => jobs.find((j) => j.kind === kind) as Extract<JobSpec, { kind: K }>;
    const pretrain = pick('pretrain');
    const evaluate = pick('evaluate');
    const trainMoe = pick('train-moe');
    // A training job that carries the evaluation sets (issue 16: evaluation must never change training).
    expect(problems({ kind: 'pretrain', inputs: { ...pretrain.inputs, data: evaluate.inputs.data } })).toContain('pretrain/data must NOT have additional properties');
    // An evaluation without its experts, a mixture without its start, a seed that is not an integer.
    const { experts: _experts, ...noExperts } = evaluate.inputs;
    expect(problems({ kind: 'evaluate', inputs: noExperts as never })).toContain("evaluate must have required property 'experts'");
    const { start: _start, ...noStart } = trainMoe.inputs;
    expect(problems({ kind: 'train-moe', inputs: noStart as never })).toContain("train-moe must have required property 'start'");
    expect(problems({ kind: 'pretrain', inputs: { ...pretrain.inputs, seed: 1.5 } })).toContain('pretrain/seed must be integer');
    // A feature job of neither shape.
    expect(problems({ kind: 'features', inputs: { ...pick('features').inputs, evaluationSet: 3 } as never }).length).toBeGreaterThan(0);
  });
});
