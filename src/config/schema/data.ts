import type { FromSchema } from 'json-schema-to-ts';

/** A dataset on disk (or the embedded corpus), read by one of src/data/datasets' adapters. */
export const datasetSpecSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['adapter'],
  properties: {
    adapter: {
      enum: [
        'synth', 'csv', 'asvspoof2019-la', 'asvspoof2021-la', 'asvspoof2021-df', 'asvspoof5', 'fake-or-real',
        'in-the-wild', 'mlaad', 'add2022', 'ljspeech', 'librispeech', 'vctk', 'commonvoice',
      ],
      description: 'layout reader (docs/ARCHITECTURE.md lists them).',
    },
    root: {
      type: 'string',
      minLength: 1,
      maxLength: 4096,
      description: 'folder of the dataset; ${VAR} is taken from the environment or the `paths` of ablate.config.json. Optional for synth.',
    },
    options: { type: 'object', description: "adapter options (version, subset, split fractions, seed, sizes...)." },
    onBadFile: {
      enum: ['fail', 'skip'],
      description:
        'an audio file that cannot be used (empty, truncated, not audio, a folder): "fail" (the default) stops the job naming the file; ' +
        '"skip" leaves it out, and the run, `ablate status`, the store\'s events and the report say how many and which.',
    },
  },
} as const;

/** Waveform and spectrogram augmentation of the training data (src/data/augment). */
export const augmentationSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rawboost: { type: 'integer', minimum: 0, maximum: 8, default: 0, description: 'RawBoost algorithm 1-8 (0 = off).' },
    noise: {
      type: 'object',
      additionalProperties: false,
      required: ['snrDb'],
      properties: {
        snrDb: {
          type: 'array',
          items: [{ type: 'number' }, { type: 'number' }],
          minItems: 2,
          additionalItems: false,
          description: '[min, max] SNR in dB.',
        },
        probability: { type: 'number', minimum: 0, maximum: 1, default: 1 },
      },
    },
    specAugment: {
      type: 'object',
      additionalProperties: false,
      required: ['freqMasks', 'freqWidth', 'timeMasks', 'timeWidth'],
      properties: {
        freqMasks: { type: 'integer', minimum: 0 },
        freqWidth: { type: 'integer', minimum: 0 },
        timeMasks: { type: 'integer', minimum: 0 },
        timeWidth: { type: 'integer', minimum: 0 },
      },
    },
    cache: { type: 'boolean', default: false, description: 'cache augmented features (one augmentation per item instead of one per epoch).' },
  },
} as const;

/**
 * Selectors name data: `dataset`, `dataset:domain`, optionally `@split` (train, dev, eval or
 * all) to override the split a stage would use.
 */
const selectorSchema = {
  type: 'string',
  pattern: '^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?(@(train|dev|eval|all))?$',
  description: 'dataset[:domain][@split]',
} as const;

export const dataConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['datasets', 'train', 'evaluate'],
  properties: {
    sampleRate: { type: 'integer', minimum: 4000, maximum: 192000, default: 16000 },
    clipSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 60, default: 3, description: 'clip length (3 s in the papers).' },
    // No schema default: a filled-in one would change existing trial ids and job keys (#16).
    cropPoolSeconds: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 600,
      description:
        'training: a fresh random crop each time a clip is drawn. The feature cache holds a window of this many seconds per item (the whole clip when shorter, tiled), and every draw cuts clipSeconds from it, in frames. Absent: one fixed crop per item.',
    },
    tileOffset: {
      enum: ['start', 'random'],
      description: "training clips shorter than clipSeconds are tiled from their 'start' (default) or from a seeded random offset per item ('random'); evaluation tiles from the start.",
    },
    datasets: {
      type: 'object',
      additionalProperties: datasetSpecSchema,
      minProperties: 1,
      description: 'datasets by the name selectors use.',
    },
    train: { type: 'array', items: selectorSchema, minItems: 1, description: 'training data (MELE: one expert per selector).' },
    validation: {
      type: 'array',
      items: selectorSchema,
      description: "validation data for early stopping and the decision threshold (default: the training selectors' dev split).",
    },
    evaluate: {
      type: 'object',
      additionalProperties: false,
      required: ['known'],
      properties: {
        known: { type: 'array', items: selectorSchema, minItems: 1, description: 'evaluation sets from the training domains.' },
        unknown: { type: 'array', items: selectorSchema, default: [], description: 'evaluation sets from unseen domains.' },
        groups: {
          type: 'object',
          propertyNames: { pattern: '^[A-Za-z0-9_.-]+$', not: { enum: ['known', 'unknown', 'all'] } },
          additionalProperties: { type: 'array', items: selectorSchema, minItems: 1, uniqueItems: true },
          description:
            'named evaluation groups beside known / unknown / all: name -> the evaluation sets (of `known` or `unknown`) it joins; ' +
            'each gets the mean of its sets\' metrics and the metrics of their pooled scores (an item in several sets counted once).',
        },
        breakdown: {
          type: 'array',
          items: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' },
          uniqueItems: true,
          description:
            'item columns to break each evaluation set down by (e.g. ["attack"]): attack, speaker, codec, domain or any other manifest column; ' +
            'per value, the metrics of its items against the set\'s bona fide items.',
        },
      },
    },
    maxItems: {
      type: 'object',
      additionalProperties: false,
      properties: {
        train: { type: 'integer', minimum: 1 },
        dev: { type: 'integer', minimum: 1 },
        eval: { type: 'integer', minimum: 1 },
      },
      description: 'cap on items per selector and split (a seeded, class-stratified subset), for quick runs on large corpora.',
    },
    augmentation: { ...augmentationSchema, default: {} },
  },
} as const;

export type DatasetSpec = FromSchema<typeof datasetSpecSchema, { keepDefaultedPropertiesOptional: true }>;
export type AugmentationConfig = FromSchema<typeof augmentationSchema, { keepDefaultedPropertiesOptional: true }>;
export type DataConfig = FromSchema<typeof dataConfigSchema, { keepDefaultedPropertiesOptional: true }>;

/** Audio is resampled to this rate when a trial's data gives none (the schema's default, for readers of job inputs). */
export const DEFAULT_SAMPLE_RATE = dataConfigSchema.properties.sampleRate.default;

/** A clip's length when a trial's data gives none (the schema's default, for readers of job inputs). */
export const DEFAULT_CLIP_SECONDS = dataConfigSchema.properties.clipSeconds.default;
