import { type RoutingConfig, routingSchema } from './schema/moe.js';
import { child, defaultsOf, fail, numberIn, oneOf } from './schema-rules.js';

export type RoutingMode = 'soft' | 'topk' | 'noisy-topk';
export type BalanceKind = 'none' | 'cv2' | 'switch';
export type RoutingWeighting = 'router' | 'renormalized';

interface Balancing {
  balance: BalanceKind;
  balanceWeight: number;
}

/**
 * How gate logits become weights, with what applies to each mode only: soft routing uses
 * every expert and has no `k` or `weighting` (the schema's optional fields meant something
 * else there), hard routing has both.
 */
export type ResolvedRoutingConfig =
  | ({ mode: 'soft' } & Balancing)
  | ({
      mode: Exclude<RoutingMode, 'soft'>;
      /** Experts per item, at most the number of experts. */
      k: number;
      /** Keep the router probabilities of the selected experts, or renormalise them. */
      weighting: RoutingWeighting;
    } & Balancing);

export const routingDefaults = defaultsOf(routingSchema.properties);

const props = routingSchema.properties;

/**
 * The rule JSON Schema cannot state: hard routing picks at most every expert. The normal
 * form (src/search/normalise.ts) drops a grid point that breaks it with `summary`; a trial
 * resolved on its own is refused with the message.
 */
export function routingRule(routing: RoutingConfig, numExperts: number): { summary: string; expected: string; got: number } | null {
  const mode = routing.mode ?? routingDefaults.mode;
  const k = routing.k ?? routingDefaults.k;
  if (mode === 'soft' || k <= numExperts) return null;
  return { summary: 'top-k routing needs k <= the number of experts', expected: `at most the number of experts (${numExperts})`, got: k };
}

/** The routing config with the schema's defaults, checked; `numExperts` bounds k. */
export function resolveRoutingConfig(config: RoutingConfig = {}, numExperts: number, path = 'routing'): ResolvedRoutingConfig {
  const merged = { ...routingDefaults, ...config };
  const mode = oneOf(child(path, 'mode'), merged.mode, props.mode.enum);
  const balance = oneOf(child(path, 'balance'), merged.balance, props.balance.enum);
  const balanceWeight = numberIn(child(path, 'balanceWeight'), merged.balanceWeight, props.balanceWeight);
  if (mode === 'soft') return { mode, balance, balanceWeight };
  const k = numberIn(child(path, 'k'), merged.k, props.k);
  const broken = routingRule({ mode, k }, numExperts);
  if (broken) fail(child(path, 'k'), broken.expected, broken.got, 'Lower k or add experts.');
  const weighting = oneOf(child(path, 'weighting'), merged.weighting, props.weighting.enum);
  return { mode, k, weighting, balance, balanceWeight };
}

/**
 * A routing value as every label prints it (job labels, report labels): "soft", "top-2",
 * "noisy-top-2". Display only: no id or key is made from it.
 */
export function routingLabel(routing: { mode?: string | undefined; k?: number | undefined }): string {
  const mode = routing.mode ?? routingDefaults.mode;
  if (mode === 'soft') return 'soft';
  const k = routing.k ?? routingDefaults.k;
  return mode === 'noisy-topk' ? `noisy-top-${k}` : mode === 'topk' ? `top-${k}` : `${mode}-${k}`;
}
