import { type GateConfig, gateSchema } from './schema/moe.js';
import { child, defaultsOf, fail, numberIn, oneOf } from './schema-rules.js';


export type GateType = 'mlp' | 'transformer';
export type GateInput = 'standard' | 'enhanced' | 'concat';

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

/** The transformer's usual feed-forward width, as a multiple of the model width (Vaswani et al. 2017). */
export const FEED_FORWARD_MULTIPLE = 4;

export const gateDefaults = defaultsOf(gateSchema.properties);

const props = gateSchema.properties;

/**
 * The rule JSON Schema cannot state about the gate's input: a transformer's tokens have one
 * width. The normal form drops a grid point that breaks it with `summary`; a trial resolved
 * on its own is refused.
 */
export function gateInputRule(gate: GateConfig): { summary: string; expected: string } | null {
  if ((gate.type ?? gateDefaults.type) !== 'transformer' || (gate.input ?? gateDefaults.input) !== 'concat') return null;
  return {
    summary: 'a transformer gate reads tokens of one width: gate.input concat is for the mlp gate',
    expected: '"standard" or "enhanced" for a transformer gate (its tokens need one width; concatenated embeddings are the mlp gate\'s input)',
  };
}

/**
 * The gate config with the schema's defaults filled in and its cross-field rules checked.
 * `path` is the JSON path errors name.
 */
export function resolveGateConfig(config: GateConfig = {}, path = 'gate'): ResolvedGateConfig {
  const merged = { ...gateDefaults, ...config };
  const type = oneOf(child(path, 'type'), merged.type, props.type.enum);
  const input = oneOf(child(path, 'input'), merged.input, props.input.enum);
  const inputRule = gateInputRule({ type, input });
  if (inputRule) fail(child(path, 'input'), inputRule.expected, input);
  const hidden = numberIn(child(path, 'hidden'), merged.hidden, props.hidden);
  const dim = numberIn(child(path, 'dim'), merged.dim, props.dim);
  const layers = numberIn(child(path, 'layers'), merged.layers, props.layers);
  const heads = numberIn(child(path, 'heads'), merged.heads, props.heads);
  const feedForward = numberIn(child(path, 'feedForward'), merged.feedForward ?? FEED_FORWARD_MULTIPLE * dim, props.feedForward);
  const dropout = numberIn(child(path, 'dropout'), merged.dropout, props.dropout);
  if (type === 'transformer' && dim % heads !== 0) {
    fail(child(path, 'heads'), `a divisor of ${child(path, 'dim')} (${dim}), so every attention head gets dim / heads channels`, heads);
  }
  return { type, input, hidden, dim, layers, heads, feedForward, dropout };
}
