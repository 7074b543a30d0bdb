import type { ResolvedExpert, TrainerConfig, TrialConfig } from '../config/schema/index.js';

/**
 * The jobs a plan is made of, one shape per kind. The planner (src/search/plan.ts) builds
 * them from a trial's normal form, the store keeps them, the executor hands them to a
 * runner, and command trainers read `inputs` verbatim from their job file (docs/TRAINERS.md),
 * so a field here is part of a public format: adding one changes the job keys of every
 * trial that sets it. tests/protocol/job-spec.test.ts checks planned jobs against
 * `jobInputsSchemas` (job-spec-schema.ts), which says the same at run time.
 */

export const jobKinds = ['features', 'pretrain', 'train-moe', 'evaluate', 'probe'] as const;
export type JobKind = (typeof jobKinds)[number];

type DataSection = TrialConfig['data'];
type ItemCaps = NonNullable<DataSection['maxItems']>;

/**
 * The `data` of the training jobs (features, pre-training, mixture training): the trial's
 * data section without what only evaluation reads (src/search/job-data.ts, issue 16).
 * Augmentation is there for the mixture-training job only.
 */
export type TrainingData = Omit<DataSection, 'evaluate' | 'maxItems' | 'augmentation'> & {
  maxItems?: Omit<ItemCaps, 'eval'>;
  augmentation?: DataSection['augmentation'];
};

/** The `data` of one evaluation set's feature job: what its items and clips depend on. */
export type EvaluationSetData = Pick<DataSection, 'datasets' | 'sampleRate' | 'clipSeconds'> & { maxItems?: Pick<ItemCaps, 'eval'> };

/** The `data` of the jobs that score (evaluation, probe): the whole section but augmentation. */
export type EvaluationData = Omit<DataSection, 'augmentation'>;

// Type aliases rather than interfaces: they stay assignable to Record<string, unknown>, which
// the readers of any job's inputs (labels, ETAs, the trainer check) take.

export type FeaturesInputs =
  | { features: ResolvedExpert['features']; data: TrainingData }
  /** The features of one evaluation set's items, keyed by that set alone. */
  | { features: ResolvedExpert['features']; data: EvaluationSetData; evaluationSet: string };

/** The pre-training section without its on/off switch: an expert's recipe when trained alone. */
export type PretrainHyper = Omit<NonNullable<TrialConfig['pretrain']>, 'enabled'>;

export type PretrainInputs = {
  expert: ResolvedExpert;
  /** The selectors the expert trains on (MELE: its own domains). */
  trainOn: string[];
  hp: PretrainHyper;
  seed: number;
  data: TrainingData;
  /** The trial's augmentation (`{}` without one); the training data itself carries none. */
  augmentation: NonNullable<DataSection['augmentation']>;
  /** Only a command trainer is an input: the built-in one leaves the key as it always was. */
  trainer?: TrainerConfig;
};

/** The trial without its kind, with the training data and the keys of the experts it starts from. */
export type TrainMoeInputs = Omit<TrialConfig, 'kind' | 'data' | 'seed'> & {
  data: TrainingData;
  seed: number;
  /** Pre-training job keys, one per expert (empty: experts start from seeded random weights). */
  start: string[];
};

/** What an evaluation scores: a pre-trained expert, the experts averaged, or a trained mixture with or without its gate. */
export type EvaluationTarget = 'single' | 'ensemble' | 'moe' | 'gate-ablated';

export type EvaluateInputs = {
  target: EvaluationTarget;
  /** The job keys of the models it scores (pre-training or mixture-training jobs). */
  models: string[];
  experts: ResolvedExpert[];
  data: EvaluationData;
  trainer?: TrainerConfig;
};

/** The shortcut probe trains and scores in one job, from the data alone. */
export type ProbeInputs = {
  data: EvaluationData;
  seed: number;
};

type JobOf<K extends JobKind, I> = {
  /** `<kind>-<16 hex>`: the hash of the kind and the inputs (job-key.ts). */
  key: string;
  kind: K;
  inputs: I;
  /** The keys of the jobs whose outputs it reads (their folders: JobContext.depDirs). */
  deps: string[];
};

export type FeaturesJob = JobOf<'features', FeaturesInputs>;
export type PretrainJob = JobOf<'pretrain', PretrainInputs>;
export type TrainMoeJob = JobOf<'train-moe', TrainMoeInputs>;
export type EvaluateJob = JobOf<'evaluate', EvaluateInputs>;
export type ProbeJob = JobOf<'probe', ProbeInputs>;

/** One unit of work; `kind` tells the shape of its `inputs`. */
export type JobSpec = FeaturesJob | PretrainJob | TrainMoeJob | EvaluateJob | ProbeJob;

export type JobInputs<K extends JobKind = JobKind> = Extract<JobSpec, { kind: K }>['inputs'];

/** A job's kind and inputs, still paired (a plain Pick of the union would lose the pairing). */
export type JobWork = JobSpec extends infer J ? (J extends JobSpec ? Pick<J, 'kind' | 'inputs'> : never) : never;
