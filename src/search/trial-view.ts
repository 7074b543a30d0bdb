import { flatten, type Json, type JsonObject } from './paths.js';
import type { TrialConfig } from './schema/index.js';

/** Fields computed from a trial that constraints, excludes and reports may use. */
export const derivedFieldNames = ['numExperts', 'expertArchs', 'expertFeatures', 'expertSet'];

/**
 * A flat view of a resolved trial (dotted path -> value) plus the derived fields:
 * what `exclude`, `constraints` and the report's parameter columns look at.
 */
export function trialView(config: TrialConfig): Record<string, Json> {
  const view = flatten(config as unknown as JsonObject);
  view['numExperts'] = config.experts.length;
  view['expertArchs'] = config.experts.map((e) => e.arch).join('+');
  view['expertFeatures'] = config.experts.map((e) => e.features.kind).join('+');
  view['expertSet'] = config.experts.map(expertLabel).join(' + ');
  return view;
}

/** Short human label of an expert: `lcnn/mel`, `resnet/logspec`, `lcnn/mel@synth:d1`. */
export function expertLabel(expert: TrialConfig['experts'][number]): string {
  const base = `${expert.arch}/${expert.features.kind}`;
  const width = expert.width !== undefined && expert.width !== 1 ? `x${expert.width}` : '';
  const domains = expert.pretrainDomains ? `@${expert.pretrainDomains.join(',')}` : '';
  const replica = expert.replica ? `#${expert.replica}` : '';
  return base + width + domains + replica;
}
