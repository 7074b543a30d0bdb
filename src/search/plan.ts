import { sha256Hex, type ContentHasher } from '../util/hash.js';
import type { Json } from './paths.js';
import type { SearchSpace } from './space.js';
import type { Trial } from './trial.js';
import type { ResolvedExpert, TrialConfig } from '../config/schema/index.js';
import { evaluationSelectors, evaluationSetData, trainingData } from './job-data.js';

export const jobKinds = ['features', 'pretrain', 'train-moe', 'evaluate', 'probe'] as const;
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
  const context: PlanContext = {
    hasher: space.hasher,
    dataInputs: new WeakMap(),
    evalSetData: new Map(),
    pretrainHyper: new WeakMap(),
    mixtureKeyParts: new WeakMap(),
    mixtureTemplates: new WeakMap(),
    jobsByInputs: new Map(),
    expertJobs: new Map(),
    fresh: [],
  };
  const jobs = new Map<string, JobSpec>();
  const trials = new Map<string, TrialPlan>();
  const counts = Object.fromEntries(jobKinds.map((k) => [k, { distinct: 0, naive: 0 }])) as Plan['counts'];
  for (const trial of space.trials) {
    const trialJobs = jobsOfTrial(trial, context);
    for (const job of trialJobs) counts[job.kind].naive++;
    // Only jobs made for this trial can be new: shared ones found by signature are known.
    for (const job of context.fresh) {
      if (!jobs.has(job.key)) {
        jobs.set(job.key, job);
        counts[job.kind].distinct++;
      }
    }
    context.fresh.length = 0;
    trials.set(trial.id, { jobs: trialJobs.map((j) => j.key), result: (trialJobs.at(-1) as JobSpec).key });
  }
  return { space, jobs, trials, counts };
}

interface PlanContext {
  hasher: ContentHasher;
  /** The training jobs' `data` (interned) per distinct trial `data` object and expert list. */
  dataInputs: WeakMap<object, Map<string, { data: Record<string, Json>; mixture: Record<string, Json> }>>;
  /** The `data` of one evaluation set's feature jobs (interned), by trial `data` identity and selector. */
  evalSetData: Map<string, Record<string, Json>>;
  /** One interned pre-training section (without its switch) per distinct trial section. */
  pretrainHyper: WeakMap<object, Json>;
  /** A mixture-training key's text around its seed and start, per shared trial base. */
  mixtureKeyParts: WeakMap<object, MixtureKeyParts>;
  /** A trial base without its kind, to copy per trial (object spread is V8's fast clone). */
  mixtureTemplates: WeakMap<object, Record<string, Json>>;
  /** Jobs by the identities of their inputs: trials share interned inputs, so most lookups hit. */
  jobsByInputs: Map<string, JobSpec>;
  /** The feature and pre-training jobs of a trial's whole expert list, by the sections they depend on. */
  expertJobs: Map<string, ExpertJobs>;
  /** Jobs made (not found) while planning the current trial. */
  fresh: JobSpec[];
}

/**
 * A job's key is a content hash of its kind and of the content hash of each input (a
 * Merkle-style hash: inputs are sections that many jobs share, so each is hashed once).
 * Jobs that many trials share (features, pre-training) are remembered under `signature`,
 * the identities of their inputs, so their key is computed once per job, not per trial.
 */
function makeJob(context: PlanContext, kind: JobKind, inputs: Record<string, Json>, deps: string[], signature?: string): JobSpec {
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
  context.fresh.push(job);
  return job;
}

function isShortValue(value: Json | undefined): boolean {
  return value === null || typeof value !== 'object' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}

/**
 * The data the training jobs read (src/search/job-data.ts): without augmentation for the
 * feature and pre-training jobs, with it for the mixture's, and never the evaluation sets.
 * Interned, so trials that differ only in what they evaluate share these objects.
 */
function dataInputs(context: PlanContext, config: TrialConfig): { data: Record<string, Json>; mixture: Record<string, Json> } {
  let byExperts = context.dataInputs.get(config.data);
  if (byExperts === undefined) {
    byExperts = new Map();
    context.dataInputs.set(config.data, byExperts);
  }
  const expertsId = context.hasher.identity(config.experts);
  let cached = byExperts.get(expertsId);
  if (cached === undefined) {
    cached = {
      data: context.hasher.intern(trainingData(config.data, config.experts, false)),
      mixture: context.hasher.intern(trainingData(config.data, config.experts, true)),
    };
    byExperts.set(expertsId, cached);
  }
  return cached;
}

// One object for every trial without the section, so jobs keyed on its identity match.
const noPretrainSection = {};
const noAugmentation = {};

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
  /** The mixture-training job's data: the training data with its augmentation. */
  mixtureData: Record<string, Json>;
  augmentation: Json;
  featureJobs: Map<string, JobSpec>;
  /** The feature jobs of the evaluated items (set by evaluateJob). */
  evaluationFeatures: JobSpec[];
}

function featuresOf(scope: TrialScope, expert: ResolvedExpert): JobSpec {
  const { context } = scope;
  const features = expert.features as Json;
  // Look the shared job up before building its inputs: most trials find it.
  const signature = `features|${context.hasher.identity(features)}|${context.hasher.identity(scope.data)}`;
  const job = context.jobsByInputs.get(signature) ?? makeJob(context, 'features', { features, data: scope.data }, [], signature);
  scope.featureJobs.set(job.key, job);
  return job;
}

function pretrainOf(scope: TrialScope, expert: ResolvedExpert): JobSpec {
  const features = featuresOf(scope, expert);
  const { config, context } = scope;
  const { hasher } = context;
  const trainOn = (expert.pretrainDomains ?? config.data.train) as Json;
  const hp = pretrainHyper(context, config);
  const signature =
    `pretrain|${hasher.identity(expert)}|${hasher.identity(trainOn)}|${hasher.identity(hp)}|${config.seed}` +
    `|${hasher.identity(scope.data)}|${hasher.identity(scope.augmentation)}|${hasher.identity(config.trainer ?? null)}`;
  const known = context.jobsByInputs.get(signature);
  if (known) return known;
  const inputs: Record<string, Json> = { expert: expert as unknown as Json, trainOn, hp, seed: config.seed, data: scope.data, augmentation: scope.augmentation };
  // Only a command trainer is an input: the built-in one leaves the key as it always was.
  if (config.trainer !== undefined) inputs['trainer'] = config.trainer as Json;
  return makeJob(context, 'pretrain', inputs, [features.key], signature);
}

/**
 * The evaluation job. Every trial has its own, so its key is written out here rather than
 * by makeJob's generic loop; the text is the same as makeJob's (sorted input names, short
 * values as canonical JSON, objects by hash), so the keys are too.
 */
function evaluateJob(scope: TrialScope, target: string, models: JobSpec[]): JobSpec {
  const { hasher } = scope.context;
  const modelKeys = models.map((m) => m.key);
  const experts = scope.config.experts as unknown as Json;
  // The evaluation reads the whole data section (its sets, groups and breakdowns), not the training data.
  const { augmentation: _augmentation, ...data } = scope.config.data;
  const evaluated = hasher.intern(data as unknown as Record<string, Json>);
  // Job keys and targets are ASCII: JSON.stringify is their canonical JSON.
  let text = `evaluate\ndata=${hasher.hash(evaluated, 64)}\nexperts=${hasher.hash(experts, 64)}\nmodels=${JSON.stringify(modelKeys)}\ntarget=${JSON.stringify(target)}`;
  const inputs: Record<string, Json> = { target, models: modelKeys, experts, data: evaluated };
  // A command trainer scores with its own model; `trainer` sorts after `target`, as makeJob would put it.
  const trainer = scope.config.trainer as Json | undefined;
  if (trainer !== undefined) {
    inputs['trainer'] = trainer;
    text += `\ntrainer=${hasher.hash(trainer, 64)}`;
  }
  scope.evaluationFeatures = [...new Set(evaluationFeatureJobs(scope))];
  const deps = [...new Set([...modelKeys, ...scope.featureJobs.keys(), ...scope.evaluationFeatures.map((j) => j.key)])];
  const job: JobSpec = { key: `evaluate-${sha256Hex(text).slice(0, 16)}`, kind: 'evaluate', inputs, deps };
  scope.context.fresh.push(job);
  return job;
}

/**
 * The feature jobs of the evaluated items: one per front end and evaluation set, keyed by
 * that set alone, so adding a set to a sweep adds only its own feature jobs.
 */
function evaluationFeatureJobs(scope: TrialScope): JobSpec[] {
  const { context, config } = scope;
  const { hasher } = context;
  const frontEnds = new Map<string, Json>();
  for (const expert of config.experts) frontEnds.set(hasher.identity(expert.features), expert.features as Json);
  const jobs: JobSpec[] = [];
  for (const selector of new Set(evaluationSelectors(config.data))) {
    const memo = `${hasher.identity(config.data)}|${selector}`;
    let data = context.evalSetData.get(memo);
    if (data === undefined) {
      data = hasher.intern(evaluationSetData(config.data, selector));
      context.evalSetData.set(memo, data);
    }
    for (const [id, features] of frontEnds) {
      const signature = `features-eval|${id}|${hasher.identity(data)}|${selector}`;
      jobs.push(context.jobsByInputs.get(signature) ?? makeJob(context, 'features', { features, data, evaluationSet: selector }, [], signature));
    }
  }
  return jobs;
}

/**
 * makeJob's key text of a mixture-training job around its two per-trial inputs: the lines
 * before `seed`, between `seed` and `start`, and after `start`.
 */
interface MixtureKeyParts {
  prefix: string;
  between: string;
  after: string;
}

/**
 * The mixture-training job: the trial's config without its kind, plus the keys of the
 * pre-trained experts it starts from. Every trial has its own, and its key is the largest
 * text planning hashes, so the text makeJob would write (the same key) is split around
 * the seed and the start: the rest is the same for all trials of a grid point, so it is
 * written once per point. (Continuing a copied hash state instead of hashing the whole
 * text is no faster in Node: a Hash object costs as much as hashing 1 KiB.)
 */
function trainJob(scope: TrialScope, trial: Trial, start: string[], deps: string[]): JobSpec {
  const { mixtureKeyParts, mixtureTemplates } = scope.context;
  const base = trial.base;
  let template = base === undefined ? undefined : mixtureTemplates.get(base);
  if (template === undefined) {
    const { kind: _kind, ...mixture } = scope.config;
    template = { ...(mixture as unknown as Record<string, Json>), data: scope.mixtureData };
    if (base !== undefined) mixtureTemplates.set(base, template);
  }
  const inputs: Record<string, Json> = { ...template, seed: scope.config.seed, start };
  let parts = base === undefined ? undefined : mixtureKeyParts.get(base);
  if (parts === undefined) {
    parts = mixtureKeyText(scope.context, inputs);
    if (base !== undefined) mixtureKeyParts.set(base, parts);
  }
  // A seed is an integer and job keys are ASCII: JSON.stringify is their canonical JSON.
  const tail = `\nseed=${JSON.stringify(scope.config.seed)}${parts.between}\nstart=${JSON.stringify(start)}${parts.after}`;
  const key = `train-moe-${sha256Hex(parts.prefix + tail).slice(0, 16)}`;
  const job: JobSpec = { key, kind: 'train-moe', inputs, deps: [...new Set(deps)] };
  scope.context.fresh.push(job);
  return job;
}

function mixtureKeyText(context: PlanContext, inputs: Record<string, Json>): MixtureKeyParts {
  const segments = ['train-moe', '', ''];
  let segment = 0;
  for (const name of Object.keys(inputs).sort()) {
    if (name === 'seed' || name === 'start') {
      segment++;
      continue;
    }
    const value = inputs[name];
    const digest = isShortValue(value) ? context.hasher.canonical(value, false) : context.hasher.hash(value, 64);
    segments[segment] += `\n${name}=${digest}`;
  }
  return { prefix: segments[0] as string, between: segments[1] as string, after: segments[2] as string };
}

interface ExpertJobs {
  features: JobSpec[];
  pretrained: JobSpec[];
}

/**
 * The feature jobs and (when `pretrain`) the pre-training jobs of all of a trial's experts.
 * They depend only on the experts, data, pre-training sections and seed, which most trials
 * share with many others, so the whole list is looked up once per trial.
 */
function expertJobsOf(scope: TrialScope, experts: ResolvedExpert[], pretrain: boolean): ExpertJobs {
  const { context, config } = scope;
  const { hasher } = context;
  const signature =
    `${pretrain}|${hasher.identity(experts)}|${hasher.identity(scope.data)}|${hasher.identity(config.pretrain ?? null)}|${config.seed}` +
    `|${hasher.identity(config.trainer ?? null)}`;
  let known = context.expertJobs.get(signature);
  if (known === undefined) {
    const pretrained = pretrain ? experts.map((e) => pretrainOf(scope, e)) : [];
    if (!pretrain) for (const expert of experts) featuresOf(scope, expert);
    known = { features: [...scope.featureJobs.values()], pretrained };
    context.expertJobs.set(signature, known);
  } else {
    for (const job of known.features) scope.featureJobs.set(job.key, job);
  }
  return known;
}

function jobsOfTrial(trial: Trial, context: PlanContext): JobSpec[] {
  const scope = trialScope(trial, context);
  const jobs = trainingJobsOf(trial, scope);
  // The evaluation job comes last (it is the trial's result); its feature jobs just before it.
  const evaluate = jobs.pop() as JobSpec;
  return [...jobs, ...scope.evaluationFeatures, evaluate];
}

function trialScope(trial: Trial, context: PlanContext): TrialScope {
  const config = trial.config;
  const { data, mixture: mixtureData } = dataInputs(context, config);
  const scope: TrialScope = {
    context,
    config,
    data,
    mixtureData,
    augmentation: (config.data.augmentation ?? noAugmentation) as Json,
    featureJobs: new Map(),
    evaluationFeatures: [],
  };
  return scope;
}

/** The trial's training jobs and, last, its evaluation job. */
function trainingJobsOf(trial: Trial, scope: TrialScope): JobSpec[] {
  const { config } = scope;
  const { featureJobs } = scope;

  switch (config.kind) {
    case 'probe': {
      // Trains and scores in one job that reads only the data: shared by every trial with
      // the same data and seed, whatever trainer the sweep names (ablate runs it itself).
      // It reads the whole data section (training and evaluation sets): the probe costs
      // seconds, so adding an evaluation set refits it rather than splitting it in two jobs.
      const { context } = scope;
      const { augmentation: _augmentation, ...whole } = config.data;
      const data = context.hasher.intern(whole as unknown as Record<string, Json>);
      const signature = `probe|${context.hasher.identity(data)}|${config.seed}`;
      return [context.jobsByInputs.get(signature) ?? makeJob(context, 'probe', { data, seed: config.seed }, [], signature)];
    }
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
      const train = trainJob(scope, trial, [model.key], [...featureJobs.keys(), model.key]);
      return [...featureJobs.values(), model, train, evaluateJob(scope, 'gate-ablated', [train])];
    }
    case 'ensemble': {
      const models = expertJobsOf(scope, config.experts, true).pretrained;
      return [...featureJobs.values(), ...models, evaluateJob(scope, 'ensemble', models)];
    }
    default: {
      const pretrained = expertJobsOf(scope, config.experts, config.pretrain?.enabled !== false).pretrained;
      const train = trainJob(scope, trial, pretrained.map((p) => p.key), [...featureJobs.keys(), ...pretrained.map((p) => p.key)]);
      return [...featureJobs.values(), ...pretrained, train, evaluateJob(scope, config.kind === 'gate-ablated' ? 'gate-ablated' : 'moe', [train])];
    }
  }
}
