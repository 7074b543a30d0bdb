import { expertConfigSchema } from './schema/experts.js';
import { DEFAULT_SAMPLE_RATE, dataConfigSchema } from './schema/data.js';
import { child, defaultsOf, fail, numberIn, oneOf } from './schema-rules.js';

export const EXPERT_ARCHS = ['lcnn', 'resnet', 'sincnet'] as const;
export type ExpertArch = (typeof EXPERT_ARCHS)[number];

/** One expert as a sweep names it. */
export interface ExpertSpec {
  arch: ExpertArch;
  /** Channel multiplier (default 1): 0.25 makes a CPU-sized LCNN. */
  width?: number;
  /** ResNet blocks per stage (default [2, 2, 2, 2], ResNet-18's); SincNet conv blocks per stage after the filters (default [2, 2]); not for the LCNN. */
  depth?: number[];
  /** Embedding size (default 64). */
  embeddingDim?: number;
  /** Dropout rate before the embedding projection (default 0). */
  dropout?: number;
  /** SincNet only: sample rate of the waveform in Hz (default 16000). */
  sampleRate?: number;
  /** ResNet only: channels of each stage, explicitly (one per `depth` entry; default 32 x 2^stage x width). */
  channels?: number[];
  /** The embedding's activation (default the architecture's: lcnn mfm, resnet relu, sincnet leaky-relu). */
  embeddingActivation?: EmbeddingActivation;
  /** LCNN only: the embedding taken before (default) or after the batch norm that precedes the logits. */
  embeddingAt?: EmbeddingAt;
}

export const EMBEDDING_ACTIVATIONS = ['mfm', 'relu', 'leaky-relu', 'none'] as const;
export type EmbeddingActivation = (typeof EMBEDDING_ACTIVATIONS)[number];
export type EmbeddingAt = 'before-norm' | 'after-norm';

/** Each architecture's own embedding activation (what it had before the knob existed). */
export const DEFAULT_EMBEDDING_ACTIVATION: Record<ExpertArch, EmbeddingActivation> = { lcnn: 'mfm', resnet: 'relu', sincnet: 'leaky-relu' };

export type ResolvedExpertSpec = Required<ExpertSpec>;

/** The ResNet's stage channels at a width multiplier (the stem has the first stage's). */
export function defaultResnetChannels(depth: readonly number[], width: number): number[] {
  return depth.map((_, stage) => scaledChannels(RESNET_BASE_CHANNELS * 2 ** stage, width));
}

/** The ResNet's first stage at width 1 (half ResNet-18's 64, sized for CPU sweeps). */
export const RESNET_BASE_CHANNELS = 32;

/** Each architecture's stages when a spec gives no `depth` (the schema's description states the same). */
export const DEFAULT_DEPTH: Record<ExpertArch, readonly number[]> = {
  lcnn: [],
  resnet: [2, 2, 2, 2],
  sincnet: [2, 2],
};

/** Dropout before the classifier head when a spec gives none (every architecture's own). */
const DEFAULT_DROPOUT = 0;

export const expertDefaults = defaultsOf(expertConfigSchema.properties);
const props = expertConfigSchema.properties;

/**
 * Check an expert spec and fill in its defaults: bounds and defaults from the sweep schema,
 * plus the cross-field rules it cannot state (channels per ResNet stage, the embedding knobs
 * each architecture has). `path` names where the spec came from (a JSON path in the sweep)
 * so errors point at it.
 */
export function resolveExpertSpec(spec: ExpertSpec, path = 'expert'): ResolvedExpertSpec {
  const at = (key: string) => child(path, key);
  if (typeof spec !== 'object' || spec === null) fail(path, 'an object with an "arch"', spec, HINT);
  const arch = oneOf(at('arch'), spec.arch, EXPERT_ARCHS);
  const width = numberIn(at('width'), spec.width ?? expertDefaults.width, props.width);
  const depth = spec.depth ?? DEFAULT_DEPTH[arch];
  if (!Array.isArray(depth) || depth.length > props.depth.maxItems) fail(at('depth'), `an array of at most ${props.depth.maxItems} block counts`, spec.depth, HINT);
  depth.forEach((blocks, stage) => numberIn(child(at('depth'), stage), blocks, props.depth.items));
  if (arch === 'resnet' && depth.length === 0) fail(at('depth'), 'at least one stage', spec.depth, HINT);
  if (arch === 'lcnn' && depth.length > 0) fail(at('depth'), 'nothing: the LCNN has the fixed depth of the authors\' table (use width to resize it)', spec.depth, HINT);
  const embeddingDim = numberIn(at('embeddingDim'), spec.embeddingDim ?? expertDefaults.embeddingDim, props.embeddingDim);
  const dropout = numberIn(at('dropout'), spec.dropout ?? DEFAULT_DROPOUT, props.dropout);
  const sampleRate = numberIn(at('sampleRate'), spec.sampleRate ?? DEFAULT_SAMPLE_RATE, dataConfigSchema.properties.sampleRate);
  const channels = spec.channels ?? (arch === 'resnet' ? defaultResnetChannels([...depth], width) : []);
  if (spec.channels !== undefined) {
    if (arch !== 'resnet') fail(at('channels'), `nothing: explicit channels are for the resnet, not the ${arch} (use width to resize it)`, spec.channels, HINT);
    if (!Array.isArray(channels) || channels.length !== depth.length) {
      fail(at('channels'), `one channel count per stage of depth [${depth.join(', ')}]: expected ${depth.length}, got ${Array.isArray(channels) ? channels.length : 'no list'}`, spec.channels, HINT);
    }
    channels.forEach((count, stage) => numberIn(child(at('channels'), stage), count, props.channels.items));
  }
  const embeddingActivation = oneOf(at('embeddingActivation'), spec.embeddingActivation ?? DEFAULT_EMBEDDING_ACTIVATION[arch], EMBEDDING_ACTIVATIONS);
  if ((arch === 'lcnn') !== (embeddingActivation === 'mfm')) {
    fail(at('embeddingActivation'), arch === 'lcnn' ? '"mfm": the LCNN\'s embedding is its max-feature-map' : `relu, leaky-relu or none ("mfm" is the LCNN's; the ${arch} has none)`, spec.embeddingActivation, HINT);
  }
  const embeddingAt = oneOf(at('embeddingAt'), spec.embeddingAt ?? 'before-norm', props.embeddingAt.enum);
  if (embeddingAt === 'after-norm' && arch !== 'lcnn') fail(at('embeddingAt'), `"before-norm": only the LCNN has a normalisation after its embedding, not the ${arch}`, spec.embeddingAt, HINT);
  return { arch, width, depth: [...depth], embeddingDim, dropout, sampleRate, channels: [...channels], embeddingActivation, embeddingAt };
}

const HINT = 'Fix the expert spec in the sweep file.';

/** Scale a channel count by the width multiplier; `multipleOf` keeps MFM's halves whole. */
export function scaledChannels(base: number, width: number, multipleOf = 1): number {
  return Math.max(multipleOf, Math.round((base * width) / multipleOf) * multipleOf);
}
