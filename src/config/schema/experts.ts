import type { FromSchema } from 'json-schema-to-ts';
import { featureConfigSchema } from './features.js';

/** A feature front end given inline or by its name in the sweep's `features` map. */
export const featureRefSchema = {
  anyOf: [{ type: 'string', minLength: 1 }, featureConfigSchema],
} as const;

/** One expert detector: an architecture, its input features and its size. */
export const expertConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['arch'],
  properties: {
    arch: { enum: ['lcnn', 'resnet', 'sincnet'], description: 'expert architecture (src/experts).' },
    features: {
      ...featureRefSchema,
      description: "input front end (a name from the sweep's `features` map or an inline config); sincnet takes the waveform.",
    },
    width: { type: 'number', exclusiveMinimum: 0, maximum: 4, default: 1, description: 'channel multiplier (1 = the published size).' },
    depth: {
      type: 'array',
      items: { type: 'integer', minimum: 1, maximum: 8 },
      minItems: 1,
      maxItems: 6,
      description: 'resnet: residual blocks per stage (default [2, 2, 2, 2]); sincnet: conv blocks after the filters (default [2, 2]); unused by lcnn.',
    },
    embeddingDim: { type: 'integer', minimum: 2, maximum: 4096, default: 64, description: 'size of the embedding the gate sees.' },
    // The knobs below have no schema default (a filled-in default would change existing trial
    // ids); normalise.ts drops them where they equal the architecture's own.
    channels: {
      type: 'array',
      items: { type: 'integer', minimum: 1, maximum: 4096 },
      minItems: 1,
      maxItems: 6,
      description: 'resnet: the channels of each stage, one per `depth` entry (replaces `width`; default 32 x 2^stage x width, e.g. [32, 64, 128, 256]).',
    },
    embeddingActivation: {
      enum: ['mfm', 'relu', 'leaky-relu', 'none'],
      description: "the embedding's activation (default the architecture's: lcnn mfm, resnet relu, sincnet leaky-relu with slope 0.3; resnet's leaky-relu has PyTorch's 0.01).",
    },
    embeddingAt: {
      enum: ['before-norm', 'after-norm'],
      description: "lcnn: the embedding the gate sees is taken before (default) or after the batch norm in front of the logits.",
    },
    dropout: { type: 'number', minimum: 0, maximum: 0.95, description: 'dropout before the classifier head (architecture default when absent).' },
    pretrainDomains: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      minItems: 1,
      description: 'MELE: the training selectors this expert is pre-trained on (filled in by the planner for `localisation: mele`).',
    },
    replica: {
      type: 'integer',
      minimum: 0,
      description: 'index among identical experts of one set, so copies get their own initialisation (filled in by the planner).',
    },
  },
} as const;

/** An expert in a sweep file: inline, or the name of one in the sweep's `experts` map. */
export const expertRefSchema = {
  anyOf: [{ type: 'string', minLength: 1 }, expertConfigSchema],
} as const;

/**
 * An expert set: an explicit list, a cross product of architectures and features, or
 * `count` experts drawn from a pool (every subset of that size, or the first `count`
 * when adding experts one at a time). A `count` list makes one set per count.
 */
export const expertSetSchema = {
  anyOf: [
    { type: 'array', items: expertRefSchema, minItems: 1, description: 'explicit list of experts.' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['cross'],
      properties: {
        cross: {
          type: 'object',
          additionalProperties: false,
          required: ['arch', 'features'],
          properties: {
            arch: { type: 'array', items: { enum: ['lcnn', 'resnet', 'sincnet'] }, minItems: 1 },
            features: { type: 'array', items: featureRefSchema, minItems: 1 },
          },
          description: 'every architecture with every feature set.',
        },
        common: { type: 'object', description: 'fields every expert of the product gets (width, embeddingDim...).' },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['pool', 'count'],
      properties: {
        pool: { type: 'array', items: expertRefSchema, minItems: 1 },
        count: {
          anyOf: [
            { type: 'integer', minimum: 1 },
            { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1 },
          ],
          description: 'number of experts (numExperts); a list sweeps it.',
        },
        select: {
          enum: ['subsets', 'prefix'],
          default: 'prefix',
          description: 'prefix = the first `count` of the pool (adding experts one at a time); subsets = every combination.',
        },
      },
    },
  ],
} as const;

export type ExpertConfig = FromSchema<typeof expertConfigSchema, { keepDefaultedPropertiesOptional: true }>;
