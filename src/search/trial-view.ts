import { flatten, type Json, type JsonObject } from './paths.js';
import { trainerLabel, type TrialConfig } from '../config/schema/index.js';

/** Fields computed from a trial that constraints, excludes and reports may use. */
export const derivedFieldNames = ['numExperts', 'expertArchs', 'expertFeatures', 'expertSet'];

/**
 * A flat view of a resolved trial (dotted path -> value) plus the derived fields:
 * what `exclude`, `constraints` and the report's parameter columns look at.
 */
export function trialView(config: TrialConfig): Record<string, Json> {
  return Object.assign(flatten(config as unknown as JsonObject), expertsView(config.experts), { trainerName: trainerLabel(config.trainer) });
}

/** The part of a trial's view that comes from its experts (the list and derived fields). */
export function expertsView(experts: TrialConfig['experts']): Record<string, Json> {
  return {
    experts: experts as unknown as Json,
    numExperts: experts.length,
    expertArchs: experts.map((e) => e.arch).join('+'),
    expertFeatures: experts.map((e) => e.features.kind).join('+'),
    expertSet: experts.map(expertLabel).join(' + '),
  };
}

/** Short human label of an expert: `lcnn/mel`, `resnet/logspec`, `lcnn/mel@synth:d1`. */
export function expertLabel(expert: TrialConfig['experts'][number]): string {
  const base = `${expert.arch}/${expert.features.kind}`;
  const width = expert.width !== undefined && expert.width !== 1 ? `x${expert.width}` : '';
  const domains = expert.pretrainDomains ? `@${expert.pretrainDomains.join(',')}` : '';
  const replica = expert.replica ? `#${expert.replica}` : '';
  return base + width + domains + replica;
}
