import type { GateConfig, MixtureConfig, ResolvedExpert, RoutingConfig } from '../config/schema/index.js';
import { deriveSeed } from '../util/rng.js';
import { Mixture } from '../train/moe/index.js';
import type { BuiltExpert } from '../experts/index.js';
import { buildTrialExpert } from './expert-model.js';

/** Everything needed to rebuild a trained mixture: saved with its weights. */
export interface MixtureSpec {
  experts: ResolvedExpert[];
  inputIndex: number[];
  itemShapes: number[][];
  gate: GateConfig;
  routing: RoutingConfig;
  moe: MixtureConfig;
  labelSmoothing: number;
  seed: number;
  sampleRate: number;
}

/**
 * Build a trial's mixture: its experts (initialised from the trial seed; a job that starts
 * from pre-trained experts overwrites their weights next) and its gate.
 */
export function buildMixture(spec: MixtureSpec): { mixture: Mixture; experts: BuiltExpert[] } {
  const experts = spec.experts.map((expert, index) =>
    buildTrialExpert(expert, spec.itemShapes[spec.inputIndex[index] as number] as number[], spec.seed, spec.sampleRate, `expert${index}`),
  );
  const mixture = new Mixture({
    experts: experts.map((expert, index) => ({ expert, input: spec.inputIndex[index] as number })),
    gate: spec.gate,
    routing: spec.routing,
    moe: spec.moe,
    labelSmoothing: spec.labelSmoothing,
    seed: deriveSeed(spec.seed, 'gate'),
  });
  return { mixture, experts };
}
