import type { DatasetItem } from '../item.js';
import type { DatasetContext } from './context.js';

/** A JSON schema for an adapter's options (an object schema; ajv fills the defaults). */
export interface OptionsSchema {
  type: 'object';
  additionalProperties: false;
  properties: Record<string, object>;
}

/**
 * A reader for one layout on disk. `load` yields every item with its split; the registry
 * then applies what is common to all adapters (domain override, duplicate ids).
 */
export interface DatasetAdapter {
  name: string;
  /** One line: what the root folder holds. Shown in messages and `ablate data adapters`. */
  layout: string;
  /** How the corpus's own subsets become train/dev/eval. */
  splits: string;
  optionsSchema: OptionsSchema;
  /** Only `synth` may be named without a root. */
  rootOptional?: boolean;
  load(ctx: DatasetContext): Promise<DatasetItem[]>;
}

/** Options every adapter accepts. */
export const commonOptions = {
  domain: { type: 'string', minLength: 1, description: 'domain of every item (default: the dataset name, or the corpus\'s own domains).' },
  onMissingFile: {
    enum: ['fail', 'skip'],
    default: 'fail',
    description: 'what to do when the protocol lists a file that is not on disk.',
  },
} as const;

/** Options of adapters whose corpus has no official split. */
export const seededSplitOptions = {
  seed: { type: 'integer', minimum: 0, default: 0, description: 'seed of the stratified split.' },
  fractions: {
    type: 'array',
    items: { type: 'number', minimum: 0, maximum: 1 },
    minItems: 3,
    maxItems: 3,
    default: [0.6, 0.2, 0.2],
    description: '[train, dev, eval] fractions, summing to 1.',
  },
  groupBy: {
    enum: ['item', 'speaker'],
    default: 'item',
    description: 'speaker: keep each speaker in one split (speaker-disjoint).',
  },
} as const;

/** Options of protocol-based adapters whose audio may have been converted (FLAC -> WAV). */
export const extensionOption = {
  extension: { type: 'string', pattern: '^[A-Za-z0-9]+$', default: 'flac', description: 'audio file extension (e.g. wav after a conversion).' },
} as const;

export const splitsOption = {
  splits: {
    type: 'array',
    items: { enum: ['train', 'dev', 'eval'] },
    uniqueItems: true,
    minItems: 1,
    description: 'which splits to read (default: every split whose protocol is present).',
  },
} as const;

export function objectSchema(properties: Record<string, object>): OptionsSchema {
  return { type: 'object', additionalProperties: false, properties: { ...commonOptions, ...properties } };
}
