import { dataConfigSchema, trainerSchema, trialConfigSchema } from '../config/schema/index.js';
import type { JobKind } from './job-spec.js';

/**
 * The inputs of each job kind as JSON Schema, from the sweep schema's own sections: the
 * run-time twin of the types in job-spec.ts, closed (`additionalProperties: false`) so
 * that a planner building the wrong shape (a training job carrying evaluation sets, an
 * evaluation without its experts) fails a check rather than a job (tests/protocol/job-spec.test.ts).
 * Draft-07 like the trainer schemas; not among the documents schema/ publishes, which stay
 * as they are (src/trainers/schema-documents.ts).
 */

const trial = trialConfigSchema.properties;
const data = dataConfigSchema.properties;

function without<T extends object>(properties: T, names: readonly string[]): Partial<T> {
  return Object.fromEntries(Object.entries(properties).filter(([name]) => !names.includes(name))) as Partial<T>;
}

function closed(properties: object, required: readonly string[]): object {
  return { type: 'object', additionalProperties: false, required, properties };
}

const trainingCaps = { ...data.maxItems, properties: without(data.maxItems.properties, ['eval']) };

/** TrainingData: no evaluation sets or cap; augmentation only where the job trains on it (the mixture). */
const trainingData = (withAugmentation: boolean) =>
  closed({ ...without(data, ['evaluate', 'maxItems', 'augmentation']), maxItems: trainingCaps, ...(withAugmentation ? { augmentation: data.augmentation } : {}) }, ['datasets', 'train']);

/** EvaluationSetData: one set's dataset and its clips. */
const evaluationSetData = closed(
  { datasets: data.datasets, sampleRate: data.sampleRate, clipSeconds: data.clipSeconds, maxItems: { ...data.maxItems, properties: { eval: data.maxItems.properties.eval } } },
  ['datasets'],
);

/** EvaluationData: the whole data section but augmentation. */
const evaluationData = closed(without(data, ['augmentation']), dataConfigSchema.required);

const features = trial.experts.items.properties.features;
const keyList = { type: 'array', items: { type: 'string', pattern: '^(pretrain|train-moe)-[0-9a-f]{16}$' } };

export const jobInputsSchemas: Record<JobKind, object> = {
  features: {
    oneOf: [closed({ features, data: trainingData(false) }, ['features', 'data']), closed({ features, data: evaluationSetData, evaluationSet: { type: 'string' } }, ['features', 'data', 'evaluationSet'])],
  },
  pretrain: closed(
    {
      expert: trial.experts.items,
      trainOn: data.train,
      hp: { ...trial.pretrain, properties: without(trial.pretrain.properties, ['enabled']) },
      seed: trial.seed,
      data: trainingData(false),
      augmentation: data.augmentation,
      trainer: trainerSchema,
    },
    ['expert', 'trainOn', 'hp', 'seed', 'data', 'augmentation'],
  ),
  'train-moe': closed({ ...without(trial, ['kind']), data: trainingData(true), start: keyList }, ['seed', 'experts', 'data', 'start']),
  evaluate: closed(
    { target: { enum: ['single', 'ensemble', 'moe', 'gate-ablated'] }, models: { ...keyList, minItems: 1 }, experts: trial.experts, data: evaluationData, trainer: trainerSchema },
    ['target', 'models', 'experts', 'data'],
  ),
  probe: closed({ data: evaluationData, seed: trial.seed }, ['data', 'seed']),
};
