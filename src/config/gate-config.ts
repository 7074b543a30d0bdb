import { type GateConfig, type RoutingConfig, gateSchema, routingSchema } from './schema/moe.js';
import { UserError } from '../util/errors.js';

export type GateType = 'mlp' | 'transformer';
export type GateInput = 'standard' | 'enhanced' | 'concat';
export type RoutingMode = 'soft' | 'topk' | 'noisy-topk';
export type BalanceKind = 'none' | 'cv2' | 'switch';

export interface ResolvedGateConfig {
  type: GateType;
  input: GateInput;
  /** mlp: width of the hidden layer. */
  hidden: number;
  /**
   * Transformer: model width. Enhanced input (both gate types): width each expert's
   * embedding is projected to (the authors' 32), so the two gates see the same features.
   */
  dim: number;
  layers: number;
  heads: number;
  /** Transformer: the feed-forward width of each encoder layer (default 4 x dim). */
  feedForward: number;
  dropout: number;
}

export type RoutingWeighting = 'router' | 'renormalized';

export interface ResolvedRoutingConfig {
  mode: RoutingMode;
  /** Experts per item under topk / noisy-topk (soft routing uses all). */
  k: number;
  /** Hard routing: keep the router probabilities of the selected experts, or renormalise them. */
  weighting: RoutingWeighting;
  balance: BalanceKind;
  balanceWeight: number;
}

/** The transformer's usual feed-forward width, as a multiple of the model width (Vaswani et al. 2017). */
export const FEED_FORWARD_MULTIPLE = 4;

// The defaults are read from the sweep schema so the two can never disagree.
const gateDefaults = Object.fromEntries(Object.entries(gateSchema.properties).map(([key, value]) => [key, 'default' in value ? value.default : undefined])) as unknown as Partial<ResolvedGateConfig>;
const routingDefaults = Object.fromEntries(Object.entries(routingSchema.properties).map(([key, value]) => [key, value.default])) as unknown as ResolvedRoutingConfig;

export function fail(path: string, expected: string, got: unknown, hint = 'Fix the trial config in the sweep file.'): never {
  throw new UserError(`${path}: expected ${expected}, got ${JSON.stringify(got)}. ${hint}`);
}

export function oneOf<T extends string>(path: string, value: unknown, choices: readonly T[]): T {
  if (!(choices as readonly unknown[]).includes(value)) fail(path, `one of ${choices.map((c) => `"${c}"`).join(', ')}`, value);
  return value as T;
}

function integer(path: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(path, `an integer in [${min}, ${max}]`, value);
  return value;
}

/**
 * The gate config with the schema's defaults filled in, checked again here because jobs
 * and tests build gates without going through sweep validation. `path` is the JSON path
 * errors name.
 */
export function resolveGateConfig(config: GateConfig = {}, path = 'gate'): ResolvedGateConfig {
  const merged = { ...gateDefaults, ...config };
  const type = oneOf(`${path}.type`, merged.type, ['mlp', 'transformer'] as const);
  const input = oneOf(`${path}.input`, merged.input, ['standard', 'enhanced', 'concat'] as const);
  if (input === 'concat' && type === 'transformer') {
    fail(`${path}.input`, '"standard" or "enhanced" for a transformer gate (its tokens need one width; concatenated embeddings are the mlp gate\'s input)', input);
  }
  const hidden = integer(`${path}.hidden`, merged.hidden, 1);
  const dim = integer(`${path}.dim`, merged.dim, 4);
  const layers = integer(`${path}.layers`, merged.layers, 1, 12);
  const heads = integer(`${path}.heads`, merged.heads, 1, 16);
  const feedForward = integer(`${path}.feedForward`, merged.feedForward ?? FEED_FORWARD_MULTIPLE * dim, 1, 16384);
  const dropout = merged.dropout;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 0.9)) fail(`${path}.dropout`, 'a rate in [0, 0.9]', dropout);
  if (type === 'transformer' && dim % heads !== 0) {
    fail(`${path}.heads`, `a divisor of ${path}.dim (${dim}), so every attention head gets dim / heads channels`, heads);
  }
  return { type, input, hidden, dim, layers, heads, feedForward, dropout };
}

/** The routing config with defaults; `numExperts` bounds k. */
export function resolveRoutingConfig(config: RoutingConfig = {}, numExperts: number, path = 'routing'): ResolvedRoutingConfig {
  const merged = { ...routingDefaults, ...config };
  const mode = oneOf(`${path}.mode`, merged.mode, ['soft', 'topk', 'noisy-topk'] as const);
  const k = integer(`${path}.k`, merged.k, 1);
  if (mode !== 'soft' && k > numExperts) fail(`${path}.k`, `at most the number of experts (${numExperts})`, k, 'Lower k or add experts.');
  const balance = oneOf(`${path}.balance`, merged.balance, ['none', 'cv2', 'switch'] as const);
  const balanceWeight = merged.balanceWeight;
  if (typeof balanceWeight !== 'number' || !(balanceWeight >= 0) || !Number.isFinite(balanceWeight)) fail(`${path}.balanceWeight`, 'a number >= 0', balanceWeight);
  const weighting = oneOf(`${path}.weighting`, merged.weighting, ['router', 'renormalized'] as const);
  return { mode, k: mode === 'soft' ? numExperts : k, weighting, balance, balanceWeight };
}
