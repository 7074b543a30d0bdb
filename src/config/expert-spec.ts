import { UserError } from '../util/errors.js';

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
export function defaultResnetChannels(depth: number[], width: number): number[] {
  return depth.map((_, stage) => scaledChannels(RESNET_BASE_CHANNELS * 2 ** stage, width));
}

/** The ResNet's first stage at width 1 (half ResNet-18's 64, sized for CPU sweeps). */
export const RESNET_BASE_CHANNELS = 32;

const DEFAULT_DEPTH: Record<ExpertArch, number[]> = {
  lcnn: [],
  resnet: [2, 2, 2, 2],
  sincnet: [2, 2],
};

function fail(path: string, expected: string, got: unknown): never {
  throw new UserError(`${path}: expected ${expected}, got ${JSON.stringify(got)}. Fix the expert spec in the sweep file.`);
}

/**
 * Check an expert spec and fill in its defaults. `path` names where the spec came from
 * (a JSON path in the sweep) so errors point at it.
 */
export function resolveExpertSpec(spec: ExpertSpec, path = 'expert'): ResolvedExpertSpec {
  if (typeof spec !== 'object' || spec === null) fail(path, 'an object with an "arch"', spec);
  if (!(EXPERT_ARCHS as readonly string[]).includes(spec.arch)) fail(`${path}.arch`, `one of ${EXPERT_ARCHS.join(', ')}`, spec.arch);
  const width = spec.width ?? 1;
  if (typeof width !== 'number' || !(width > 0) || width > 16) fail(`${path}.width`, 'a number in (0, 16]', spec.width);
  const depth = spec.depth ?? DEFAULT_DEPTH[spec.arch];
  if (!Array.isArray(depth) || depth.some((blocks) => !Number.isInteger(blocks) || blocks < 1 || blocks > 16)) {
    fail(`${path}.depth`, 'an array of block counts (integers 1..16)', spec.depth);
  }
  if (spec.arch === 'resnet' && depth.length === 0) fail(`${path}.depth`, 'at least one stage', spec.depth);
  if (spec.arch === 'lcnn' && depth.length > 0) fail(`${path}.depth`, 'nothing: the LCNN has the fixed depth of the authors\' table (use width to resize it)', spec.depth);
  const embeddingDim = spec.embeddingDim ?? 64;
  if (!Number.isInteger(embeddingDim) || embeddingDim < 2 || embeddingDim > 4096) fail(`${path}.embeddingDim`, 'an integer in [2, 4096]', spec.embeddingDim);
  const dropout = spec.dropout ?? 0;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) fail(`${path}.dropout`, 'a rate in [0, 1)', spec.dropout);
  const sampleRate = spec.sampleRate ?? 16000;
  if (!Number.isInteger(sampleRate) || sampleRate < 1000) fail(`${path}.sampleRate`, 'an integer sample rate in Hz (>= 1000)', spec.sampleRate);
  const channels = spec.channels ?? (spec.arch === 'resnet' ? defaultResnetChannels(depth, width) : []);
  if (spec.channels !== undefined) {
    if (spec.arch !== 'resnet') fail(`${path}.channels`, 'nothing: explicit channels are for the resnet (use width to resize the others)', spec.channels);
    if (!Array.isArray(channels) || channels.length !== depth.length || channels.some((c) => !Number.isInteger(c) || c < 1 || c > 4096)) {
      fail(`${path}.channels`, `one channel count (an integer in [1, 4096]) per stage of depth [${depth.join(', ')}]`, spec.channels);
    }
  }
  const embeddingActivation = spec.embeddingActivation ?? DEFAULT_EMBEDDING_ACTIVATION[spec.arch];
  if (!(EMBEDDING_ACTIVATIONS as readonly string[]).includes(embeddingActivation)) fail(`${path}.embeddingActivation`, `one of ${EMBEDDING_ACTIVATIONS.join(', ')}`, spec.embeddingActivation);
  if ((spec.arch === 'lcnn') !== (embeddingActivation === 'mfm')) {
    fail(`${path}.embeddingActivation`, spec.arch === 'lcnn' ? '"mfm": the LCNN\'s embedding is its max-feature-map' : 'relu, leaky-relu or none (mfm is the LCNN\'s)', spec.embeddingActivation);
  }
  const embeddingAt = spec.embeddingAt ?? 'before-norm';
  if (embeddingAt !== 'before-norm' && embeddingAt !== 'after-norm') fail(`${path}.embeddingAt`, '"before-norm" or "after-norm"', spec.embeddingAt);
  if (embeddingAt === 'after-norm' && spec.arch !== 'lcnn') fail(`${path}.embeddingAt`, `"before-norm": only the LCNN has a normalisation after its embedding`, spec.embeddingAt);
  return { arch: spec.arch, width, depth: [...depth], embeddingDim, dropout, sampleRate, channels: [...channels], embeddingActivation, embeddingAt };
}

/** Scale a channel count by the width multiplier; `multipleOf` keeps MFM's halves whole. */
export function scaledChannels(base: number, width: number, multipleOf = 1): number {
  return Math.max(multipleOf, Math.round((base * width) / multipleOf) * multipleOf);
}
