import { type MixtureConfig, mixtureSchema } from './schema/moe.js';
import { child, defaultsOf, fail, numberIn, oneOf } from './schema-rules.js';

export interface ResolvedMixtureConfig {
  /** shared: only the mixture's loss; separate: plus each expert's own loss. */
  loss: 'shared' | 'separate';
  expertLossWeight: number;
  /** Experts fixed (inference mode, no updates): only the gate learns. */
  freezeExperts: boolean;
  /** Mix the experts' probabilities (scored by the mixture's NLL) or their logits. */
  mix: 'prob' | 'logit';
}

export const mixtureDefaults = defaultsOf(mixtureSchema.properties);

const props = mixtureSchema.properties;

/** The `moe` block of a trial with the schema's defaults, checked. */
export function resolveMixtureConfig(config: MixtureConfig = {}, path = 'moe'): ResolvedMixtureConfig {
  const merged = { ...mixtureDefaults, ...config };
  const loss = oneOf(child(path, 'loss'), merged.loss, props.loss.enum);
  const mix = oneOf(child(path, 'mix'), merged.mix, props.mix.enum);
  const expertLossWeight = numberIn(child(path, 'expertLossWeight'), merged.expertLossWeight, props.expertLossWeight);
  if (typeof merged.freezeExperts !== 'boolean') fail(child(path, 'freezeExperts'), 'true or false', merged.freezeExperts);
  return { loss, expertLossWeight, freezeExperts: merged.freezeExperts, mix };
}
