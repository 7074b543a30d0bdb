import type { FromSchema } from 'json-schema-to-ts';
import { expertConfigSchema, expertSetSchema } from './experts.js';
import { featureConfigSchema } from './features.js';
import { dataConfigSchema } from './data.js';
import { trainingSchema } from './training.js';
import { gateSchema, mixtureSchema, routingSchema } from './moe.js';
import { trainerSchema } from './trainer.js';

export const trialKinds = ['moe', 'gate-ablated', 'single', 'joint', 'budget-single', 'ensemble', 'probe'] as const;

/**
 * Pre-training of the experts: on/off, plus its own hyper-parameters (the same fields and
 * defaults as `train`: the authors use one recipe for both stages).
 */
const pretrainSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean', default: true, description: 'pre-train each expert alone before the mixture (off: experts start from seeded random weights).' },
    ...trainingSchema.properties,
  },
} as const;

const commonTrialProperties = {
  kind: {
    enum: trialKinds,
    default: 'moe',
    description:
      'moe = the mixture; gate-ablated = the mixture\'s fine-tuned experts averaged without the gate; single = one pre-trained expert; ' +
      'joint = one expert trained on the union of the training data; budget-single = joint for as many epochs as pre-training + mixture training; ' +
      'ensemble = the pre-trained experts averaged; ' +
      'probe = the shortcut probe: logistic regression on trivial features of the files (duration, level, leading silence, spectral centroid), no experts.',
  },
  localisation: {
    enum: ['mile', 'mele'],
    default: 'mile',
    description: 'mile = every expert pre-trained on all training data; mele = expert i pre-trained on training selector i only.',
  },
  seed: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'the trial seed every random choice derives from.' },
  pretrain: { ...pretrainSchema, default: {} },
  train: { ...trainingSchema, default: {}, description: 'the mixture (or single-model) training stage.' },
  gate: { ...gateSchema, default: {} },
  routing: { ...routingSchema, default: {} },
  moe: { ...mixtureSchema, default: {} },
  data: dataConfigSchema,
  trainer: trainerSchema,
} as const;

/** A trial as a sweep's `base`, `include` or axis value writes it: experts may be sets and references. */
export const trialTemplateSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { ...commonTrialProperties, experts: expertSetSchema },
} as const;

/** A fully resolved expert: features inline. */
export const resolvedExpertSchema = {
  ...expertConfigSchema,
  required: ['arch', 'features'],
  properties: { ...expertConfigSchema.properties, features: featureConfigSchema },
} as const;

/** A fully resolved trial: what its id hashes and what the jobs run. */
export const trialConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'seed', 'experts', 'data'],
  properties: {
    ...commonTrialProperties,
    experts: { type: 'array', items: resolvedExpertSchema, minItems: 1 },
  },
} as const;

export type TrialKind = (typeof trialKinds)[number];
/**
 * Defaults are filled in when a trial is resolved, but the normal form then removes the
 * fields that do not apply to it (a soft gate has no k), so defaulted fields stay optional.
 */
type Resolved = { keepDefaultedPropertiesOptional: true };
export type TrialConfig = FromSchema<typeof trialConfigSchema, Resolved>;
export type TrialTemplate = FromSchema<typeof trialTemplateSchema, Resolved>;
export type ResolvedExpert = FromSchema<typeof resolvedExpertSchema, Resolved>;
