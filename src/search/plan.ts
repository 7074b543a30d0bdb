import type { ContentHasher } from '../util/hash.js';
import type { SearchSpace } from './space.js';
import type { Trial } from './trial.js';
import type { ResolvedExpert, TrialConfig } from '../config/schema/index.js';
import { evaluationSelectors, evaluationSetData, trainingData } from './job-data.js';
import { jobKinds, type EvaluateInputs, type EvaluationSetData, type EvaluationTarget, type JobInputs, type JobKind, type JobSpec, type PretrainHyper, type PretrainInputs, type TrainingData, type TrainMoeInputs } from '../protocol/job-spec.js';
import { jobKey, keyFromLines, keyLine } from '../protocol/job-key.js';

/**
 * A job's key is the hash of its own inputs (src/protocol/job-key.ts), so trials that need
 * the same work (the same pre-trained expert, the same feature cache) share one job. The
 * shapes of the jobs are the protocol's (src/protocol/job-spec.ts); the plan builds them.
 */
export { jobKinds, type JobKind, type JobSpec };

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
  dataInputs: WeakMap<object, Map<string, { data: TrainingData; mixture: TrainingData }>>;
  /** The `data` of one evaluation set's feature jobs (interned), by trial `data` identity and selector. */
  evalSetData: Map<string, EvaluationSetData>;
  /** One interned pre-training section (without its switch) per distinct trial section. */
  pretrainHyper: WeakMap<object, PretrainHyper>;
  /** A mixture-training key's text around its seed and start, per shared trial base. */
  mixtureKeyParts: WeakMap<object, MixtureKeyParts>;
  /** A trial base without its kind, to copy per trial (object spread is V8's fast clone). */
  mixtureTemplates: WeakMap<object, Omit<TrainMoeInputs, 'start'>>;
  /** Jobs by the identities of their inputs: trials share interned inputs, so most lookups hit. */
  jobsByInputs: Map<string, JobSpec>;
  /** The feature and pre-training jobs of a trial's whole expert list, by the sections they depend on. */
  expertJobs: Map<string, ExpertJobs>;
  /** Jobs made (not found) while planning the current trial. */
  fresh: JobSpec[];
}

/**
 * A new job, keyed by the protocol's one key function. Jobs that many trials share
 * (features, pre-training) are remembered under `signature`, the identities of their
 * inputs, so their key is computed once per job, not per trial.
 */
function makeJob<K extends JobKind>(context: PlanContext, kind: K, inputs: JobInputs<K>, deps: string[], signature?: string): JobSpec {
  // The cast pairs kind and inputs, which TypeScript cannot correlate through a generic K.
  const job = { key: jobKey(context.hasher, kind, inputs), kind, inputs, deps: [...new Set(deps)] } as JobSpec;
  if (signature !== undefined) context.jobsByInputs.set(signature, job);
  context.fresh.push(job);
  return job;
}

/**
 * The data the training jobs read (src/search/job-data.ts): without augmentation for the
 * feature and pre-training jobs, with it for the mixture's, and never the evaluation sets.
 * Interned, so trials that differ only in what they evaluate share these objects.
 */
function dataInputs(context: PlanContext, config: TrialConfig): { data: TrainingData; mixture: TrainingData } {
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
const noPretrainSection: NonNullable<TrialConfig['pretrain']> = {};
const noAugmentation: PretrainInputs['augmentation'] = {};

/**
 * Pre-training hyper-parameters without the on/off switch, interned: sections that differ
 * only in the switch become one object, so the jobs keyed on it are found by identity.
 */
function pretrainHyper(context: PlanContext, config: TrialConfig): PretrainHyper {
  const section = config.pretrain ?? noPretrainSection;
  const cached = context.pretrainHyper.get(section);
  if (cached) return cached;
  const { enabled: _enabled, ...hyper } = section;
  const interned = context.hasher.intern(hyper);
  context.pretrainHyper.set(section, interned);
  return interned;
}

/** What the jobs of one trial share while they are built (one per trial, no closures). */
interface TrialScope {
  context: PlanContext;
  config: TrialConfig;
  data: TrainingData;
  /** The mixture-training job's data: the training data with its augmentation. */
  mixtureData: TrainingData;
  augmentation: PretrainInputs['augmentation'];
  featureJobs: Map<string, JobSpec>;
  /** The feature jobs of the evaluated items (set by evaluateJob). */
  evaluationFeatures: JobSpec[];
}

function featuresOf(scope: TrialScope, expert: ResolvedExpert): JobSpec {
  const { context } = scope;
  const features = expert.features;
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
  const trainOn = expert.pretrainDomains ?? config.data.train;
  const hp = pretrainHyper(context, config);
  const signature =
    `pretrain|${hasher.identity(expert)}|${hasher.identity(trainOn)}|${hasher.identity(hp)}|${config.seed}` +
    `|${hasher.identity(scope.data)}|${hasher.identity(scope.augmentation)}|${hasher.identity(config.trainer ?? null)}`;
  const known = context.jobsByInputs.get(signature);
  if (known) return known;
  const inputs: PretrainInputs = { expert, trainOn, hp, seed: config.seed, data: scope.data, augmentation: scope.augmentation };
  // Only a command trainer is an input: the built-in one leaves the key as it always was.
  if (config.trainer !== undefined) inputs.trainer = config.trainer;
  return makeJob(context, 'pretrain', inputs, [features.key], signature);
}

/** The evaluation job. Every trial has its own, so it is never looked up by signature. */
function evaluateJob(scope: TrialScope, target: EvaluationTarget, models: JobSpec[]): JobSpec {
  const { hasher } = scope.context;
  const modelKeys = models.map((m) => m.key);
  // The evaluation reads the whole data section (its sets, groups and breakdowns), not the training data.
  const { augmentation: _augmentation, ...data } = scope.config.data;
  const inputs: EvaluateInputs = { target, models: modelKeys, experts: scope.config.experts, data: hasher.intern(data) };
  // A command trainer scores with its own model.
  if (scope.config.trainer !== undefined) inputs.trainer = scope.config.trainer;
  scope.evaluationFeatures = [...new Set(evaluationFeatureJobs(scope))];
  const deps = [...new Set([...modelKeys, ...scope.featureJobs.keys(), ...scope.evaluationFeatures.map((j) => j.key)])];
  const job: JobSpec = { key: jobKey(hasher, 'evaluate', inputs), kind: 'evaluate', inputs, deps };
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
  const frontEnds = new Map<string, ResolvedExpert['features']>();
  for (const expert of config.experts) frontEnds.set(hasher.identity(expert.features), expert.features);
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
 * The key lines (src/protocol/job-key.ts) of a mixture-training job around its two per-trial
 * inputs: the lines before `seed`, between `seed` and `start`, and after `start`.
 */
interface MixtureKeyParts {
  prefix: string;
  between: string;
  after: string;
}

/**
 * The mixture-training job: the trial's config without its kind, plus the keys of the
 * pre-trained experts it starts from. Every trial has its own, and its key is the largest
 * text planning hashes, so its key lines are split around the seed and the start: the rest
 * is the same for all trials of a grid point, so it is written once per point. (Continuing a copied hash state instead of hashing the whole
 * text is no faster in Node: a Hash object costs as much as hashing 1 KiB.)
 */
function trainJob(scope: TrialScope, trial: Trial, start: string[], deps: string[]): JobSpec {
  const { mixtureKeyParts, mixtureTemplates } = scope.context;
  const base = trial.base;
  let template = base === undefined ? undefined : mixtureTemplates.get(base);
  if (template === undefined) {
    const { kind: _kind, ...mixture } = scope.config;
    template = { ...mixture, data: scope.mixtureData };
    if (base !== undefined) mixtureTemplates.set(base, template);
  }
  const inputs: TrainMoeInputs = { ...template, seed: scope.config.seed, start };
  let parts = base === undefined ? undefined : mixtureKeyParts.get(base);
  if (parts === undefined) {
    parts = mixtureKeyText(scope.context, inputs);
    if (base !== undefined) mixtureKeyParts.set(base, parts);
  }
  const { hasher } = scope.context;
  const lines = parts.prefix + keyLine(hasher, 'seed', inputs.seed) + parts.between + keyLine(hasher, 'start', start) + parts.after;
  const job: JobSpec = { key: keyFromLines('train-moe', lines), kind: 'train-moe', inputs, deps: [...new Set(deps)] };
  scope.context.fresh.push(job);
  return job;
}

function mixtureKeyText(context: PlanContext, inputs: TrainMoeInputs): MixtureKeyParts {
  const segments = ['', '', ''];
  const record = inputs as Record<string, unknown>;
  let segment = 0;
  for (const name of Object.keys(record).sort()) {
    if (name === 'seed' || name === 'start') {
      segment++;
      continue;
    }
    segments[segment] += keyLine(context.hasher, name, record[name]);
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
    augmentation: (config.data.augmentation ?? noAugmentation),
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
      const data = context.hasher.intern(whole);
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
