import { sha256Hex, type ContentHasher } from '../util/hash.js';
import type { Json } from './paths.js';
import type { SearchSpace } from './space.js';
import type { Trial } from './trial.js';
import type { ResolvedExpert, TrialConfig } from './schema/index.js';

export const jobKinds = ['features', 'pretrain', 'train-moe', 'evaluate'] as const;
export type JobKind = (typeof jobKinds)[number];

/**
 * One unit of work. Its key is the hash of its own inputs, so trials that need the same
 * work (the same pre-trained expert, the same feature cache) share one job. `inputs` holds
 * everything the job needs; `deps` are the keys of jobs whose outputs it reads.
 */
export interface JobSpec {
  key: string;
  kind: JobKind;
  inputs: Record<string, Json>;
  deps: string[];
}

export interface TrialPlan {
  /** Every job the trial needs, dependencies first. */
  jobs: string[];
  /** The evaluation job whose scores are the trial's results. */
  result: string;
}

export interface Plan {
  space: SearchSpace;
  jobs: Map<string, JobSpec>;
  trials: Map<string, TrialPlan>;
  /** Distinct jobs per kind against the count without sharing (one DAG per trial). */
  counts: Record<JobKind, { distinct: number; naive: number }>;
}

/** Turn every trial into its small DAG of jobs, sharing jobs whose inputs are equal. */
export function planSweep(space: SearchSpace): Plan {
  const context: PlanContext = { hasher: space.hasher, dataInputs: new WeakMap(), pretrainHyper: new WeakMap(), jobsByInputs: new Map() };
  const jobs = new Map<string, JobSpec>();
  const trials = new Map<string, TrialPlan>();
  const counts = Object.fromEntries(jobKinds.map((k) => [k, { distinct: 0, naive: 0 }])) as Plan['counts'];
  for (const trial of space.trials) {
    const trialJobs = jobsOfTrial(trial, context);
    for (const job of trialJobs) {
      counts[job.kind].naive++;
      if (!jobs.has(job.key)) {
        jobs.set(job.key, job);
        counts[job.kind].distinct++;
      }
    }
    trials.set(trial.id, { jobs: trialJobs.map((j) => j.key), result: (trialJobs.at(-1) as JobSpec).key });
  }
  return { space, jobs, trials, counts };
}

interface PlanContext {
  hasher: ContentHasher;
  /** One stripped `data` object per distinct trial `data` object, so its hash is computed once. */
  dataInputs: WeakMap<object, Record<string, Json>>;
  /** One interned pre-training section (without its switch) per distinct trial section. */
  pretrainHyper: WeakMap<object, Json>;
  /** Jobs by the identities of their inputs: trials share interned inputs, so most lookups hit. */
  jobsByInputs: Map<string, JobSpec>;
}

/**
 * A job's key is a content hash of its kind and of the content hash of each input (a
 * Merkle-style hash: inputs are sections that many jobs share, so each is hashed once).
 * Jobs that many trials share (features, pre-training) are first looked up by the
 * identities of their inputs, so their key is computed once per job, not once per trial.
 */
function makeJob(context: PlanContext, kind: JobKind, inputs: Record<string, Json>, deps: string[], shared: boolean): JobSpec {
  let signature: string | undefined;
  if (shared) {
    signature = kind;
    for (const name in inputs) signature += `|${context.hasher.identity(inputs[name])}`;
    const known = context.jobsByInputs.get(signature);
    if (known) return known;
  }
  let text = kind;
  for (const name of Object.keys(inputs).sort()) {
    const value = inputs[name];
    // Scalars and lists of job keys are short: their canonical text stands in for a hash.
    const digest = isShortValue(value) ? context.hasher.canonical(value, false) : context.hasher.hash(value, 64);
    text += `\n${name}=${digest}`;
  }
  const key = `${kind}-${sha256Hex(text).slice(0, 16)}`;
  const job: JobSpec = { key, kind, inputs, deps: [...new Set(deps)] };
  if (signature !== undefined) context.jobsByInputs.set(signature, job);
  return job;
}

function isShortValue(value: Json | undefined): boolean {
  return value === null || typeof value !== 'object' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}

/** The data a job reads, without augmentation (features are computed from clean audio). */
function dataInputs(context: PlanContext, config: TrialConfig): Record<string, Json> {
  const cached = context.dataInputs.get(config.data);
  if (cached) return cached;
  const { augmentation: _augmentation, ...data } = config.data;
  context.dataInputs.set(config.data, data as unknown as Record<string, Json>);
  return data as unknown as Record<string, Json>;
}

const noPretrainSection = {};

/**
 * Pre-training hyper-parameters without the on/off switch, interned: sections that differ
 * only in the switch become one object, so the jobs keyed on it are found by identity.
 */
function pretrainHyper(context: PlanContext, config: TrialConfig): Json {
  const section = config.pretrain ?? noPretrainSection;
  const cached = context.pretrainHyper.get(section);
  if (cached) return cached;
  const { enabled: _enabled, ...hyper } = section as Record<string, Json>;
  const interned = context.hasher.intern(hyper as Json);
  context.pretrainHyper.set(section, interned);
  return interned;
}

/** What the jobs of one trial share while they are built (one per trial, no closures). */
interface TrialScope {
  context: PlanContext;
  config: TrialConfig;
  data: Record<string, Json>;
  augmentation: Json;
  featureJobs: Map<string, JobSpec>;
}

function scopedJob(scope: TrialScope, kind: JobKind, inputs: Record<string, Json>, deps: string[]): JobSpec {
  return makeJob(scope.context, kind, inputs, deps, kind === 'features' || kind === 'pretrain');
}

function featuresOf(scope: TrialScope, expert: ResolvedExpert): JobSpec {
  const features = scopedJob(scope, 'features', { features: expert.features as Json, data: scope.data }, []);
  scope.featureJobs.set(features.key, features);
  return features;
}

function pretrainOf(scope: TrialScope, expert: ResolvedExpert): JobSpec {
  const features = featuresOf(scope, expert);
  const { config } = scope;
  return scopedJob(
    scope,
    'pretrain',
    {
      expert: expert as unknown as Json,
      trainOn: (expert.pretrainDomains ?? config.data.train) as Json,
      hp: pretrainHyper(scope.context, config),
      seed: config.seed,
      data: scope.data,
      augmentation: scope.augmentation,
    },
    [features.key],
  );
}

function evaluateJob(scope: TrialScope, target: string, models: JobSpec[]): JobSpec {
  const modelKeys = models.map((m) => m.key);
  return scopedJob(scope, 'evaluate', { target, models: modelKeys, experts: scope.config.experts as unknown as Json, data: scope.data }, [
    ...modelKeys,
    ...scope.featureJobs.keys(),
  ]);
}

function jobsOfTrial(trial: Trial, context: PlanContext): JobSpec[] {
  const config = trial.config;
  const scope: TrialScope = {
    context,
    config,
    data: dataInputs(context, config),
    augmentation: (config.data.augmentation ?? {}) as Json,
    featureJobs: new Map(),
  };
  const { featureJobs } = scope;

  switch (config.kind) {
    case 'single':
    case 'joint': {
      const expert = config.experts[0] as ResolvedExpert;
      const model = pretrainOf(scope, expert);
      return [...featureJobs.values(), model, evaluateJob(scope, 'single', [model])];
    }
    case 'budget-single': {
      // The expert's pre-training (shared with the mixtures that use it), then the mixture
      // stage's schedule on it alone: a one-expert mixture, whose gate weight is always 1.
      const expert = config.experts[0] as ResolvedExpert;
      const model = pretrainOf(scope, expert);
      const { kind: _kind, ...single } = config;
      const train = scopedJob(scope, 'train-moe', { ...(single as unknown as Record<string, Json>), start: [model.key] }, [...featureJobs.keys(), model.key]);
      return [...featureJobs.values(), model, train, evaluateJob(scope, 'gate-ablated', [train])];
    }
    case 'ensemble': {
      const models = config.experts.map((e) => pretrainOf(scope, e));
      return [...featureJobs.values(), ...models, evaluateJob(scope, 'ensemble', models)];
    }
    default: {
      const pretrained = config.pretrain?.enabled === false ? [] : config.experts.map((e) => pretrainOf(scope, e));
      if (pretrained.length === 0) for (const expert of config.experts) featuresOf(scope, expert);
      const { kind: _kind, ...mixture } = config;
      const train = scopedJob(
        scope,
        'train-moe',
        { ...(mixture as unknown as Record<string, Json>), start: pretrained.map((p) => p.key) },
        [...featureJobs.keys(), ...pretrained.map((p) => p.key)],
      );
      return [...featureJobs.values(), ...pretrained, train, evaluateJob(scope, config.kind === 'gate-ablated' ? 'gate-ablated' : 'moe', [train])];
    }
  }
}
