import type { FromSchema } from 'json-schema-to-ts';

/** Optimisation hyper-parameters of one training stage (defaults: the authors' recipe, SDD.md). */
export const trainingSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    epochs: { type: 'integer', minimum: 1, maximum: 10000, default: 20, description: 'maximum epochs.' },
    batchSize: { type: 'integer', minimum: 2, maximum: 4096, default: 32 },
    lr: { type: 'number', exclusiveMinimum: 0, maximum: 10, default: 0.0001, description: 'AdamW learning rate.' },
    weightDecay: { type: 'number', minimum: 0, maximum: 1, default: 0.0001, description: 'decoupled weight decay.' },
    schedule: { enum: ['cosine', 'constant'], default: 'cosine' },
    etaMin: { type: 'number', minimum: 0, default: 0.00001, description: 'cosine schedule floor.' },
    labelSmoothing: { type: 'number', minimum: 0, maximum: 0.5, default: 0.2 },
    patience: { type: 'integer', minimum: 1, default: 20, description: 'early stop after this many epochs without improvement.' },
    monitor: { enum: ['loss', 'eer'], default: 'loss', description: 'validation metric for early stopping.' },
    balanced: { type: 'boolean', default: true, description: 'class-balanced batches (half bona fide, half spoof).' },
    batchesPerEpoch: { type: 'integer', minimum: 1, description: 'batches per epoch (default: one pass over the training items).' },
    // The recipe knobs below have no schema default: a default filled in would enter every
    // trial's hashed config and change the ids of existing sweeps (normalise.ts drops them
    // when they equal today's behaviour, written out or not).
    classPools: {
      enum: ['epoch', 'persistent'],
      description:
        "balanced batches: 'epoch' (default) = each class's pool starts a fresh seeded permutation every epoch; " +
        "'persistent' = the pools carry over from epoch to epoch and refill only when empty, so every item is drawn equally often over the run.",
    },
    validationNorm: {
      enum: ['recalibrate', 'running'],
      description: "batch-norm statistics for validation: 'recalibrate' (default) = recomputed on the training data under the current weights; 'running' = the moving averages of training.",
    },
    tieBreak: {
      enum: ['first', 'loss'],
      description: "best epoch when two epochs tie on `monitor`: 'first' (default) keeps the earlier one; 'loss' takes the one with the lower validation loss (for monitor eer).",
    },
  },
} as const;

export type TrainingConfig = FromSchema<typeof trainingSchema, { keepDefaultedPropertiesOptional: true }>;
