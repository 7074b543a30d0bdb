import { fail, oneOf } from './gate-config.js';
import { type MixtureConfig, mixtureSchema } from './schema/moe.js';

export interface ResolvedMixtureConfig {
  /** shared: only the mixture's loss; separate: plus each expert's own loss. */
  loss: 'shared' | 'separate';
  expertLossWeight: number;
  /** Experts fixed (inference mode, no updates): only the gate learns. */
  freezeExperts: boolean;
  /** Mix the experts' probabilities (scored by the mixture's NLL) or their logits. */
  mix: 'prob' | 'logit';
}

// Read from the sweep schema so the two can never disagree.
const defaults = Object.fromEntries(Object.entries(mixtureSchema.properties).map(([key, value]) => [key, value.default])) as unknown as ResolvedMixtureConfig;

/** The `moe` block of a trial with the schema's defaults, checked (jobs and tests skip sweep validation). */
export function resolveMixtureConfig(config: MixtureConfig = {}, path = 'moe'): ResolvedMixtureConfig {
  const merged = { ...defaults, ...config };
  const loss = oneOf(`${path}.loss`, merged.loss, ['shared', 'separate'] as const);
  const mix = oneOf(`${path}.mix`, merged.mix, ['prob', 'logit'] as const);
  const expertLossWeight = merged.expertLossWeight;
  if (typeof expertLossWeight !== 'number' || !(expertLossWeight >= 0) || !Number.isFinite(expertLossWeight)) fail(`${path}.expertLossWeight`, 'a number >= 0', expertLossWeight);
  if (typeof merged.freezeExperts !== 'boolean') fail(`${path}.freezeExperts`, 'true or false', merged.freezeExperts);
  return { loss, expertLossWeight, freezeExperts: merged.freezeExperts, mix };
}
