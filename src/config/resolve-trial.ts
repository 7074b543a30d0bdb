import type { FeatureConfig, TrainerConfig, TrialConfig, TrialKind } from './schema/index.js';
import { dataConfigSchema, trialConfigSchema } from './schema/index.js';
import { type ResolvedExpertSpec, resolveExpertSpec } from './expert-spec.js';
import { type ResolvedGateConfig, resolveGateConfig } from './gate-config.js';
import { type ResolvedRoutingConfig, resolveRoutingConfig } from './routing.js';
import { type ResolvedMixtureConfig, resolveMixtureConfig } from './mixture-config.js';
import { type ResolvedTraining, resolveTraining } from './training-config.js';
import { checkEvaluationGroups } from './evaluation-groups.js';
import { child, defaultsOf, fail, numberIn, oneOf } from './schema-rules.js';

/** An expert of a trial: its model spec with every default, its front end, and what the planner added. */
export type ResolvedTrialExpert = ResolvedExpertSpec & {
  features: FeatureConfig;
  /** MELE: the training selectors it is pre-trained on. */
  pretrainDomains?: string[];
  /** Index among identical experts of one set (own initialisation). */
  replica?: number;
};

export type ResolvedData = TrialConfig['data'] & { sampleRate: number; clipSeconds: number };

interface Common {
  seed: number;
  data: ResolvedData;
  trainer: TrainerConfig;
  experts: ResolvedTrialExpert[];
}

/** The mixture and its gate-less view of the same training (`gate-ablated`). */
export interface ResolvedMixtureTrial extends Common {
  kind: 'moe' | 'gate-ablated';
  localisation: 'mile' | 'mele';
  pretrain: ResolvedTraining & { enabled: boolean };
  train: ResolvedTraining;
  gate: ResolvedGateConfig;
  routing: ResolvedRoutingConfig;
  moe: ResolvedMixtureConfig;
}

/** Pre-trained experts averaged. */
export interface ResolvedEnsembleTrial extends Common {
  kind: 'ensemble';
  localisation: 'mile' | 'mele';
  pretrain: ResolvedTraining;
}

/** One expert, trained as pre-training trains it. */
export interface ResolvedSingleTrial extends Common {
  kind: 'single' | 'joint';
  pretrain: ResolvedTraining;
}

/** One expert, pre-trained then trained on for the mixture stage's schedule. */
export interface ResolvedBudgetTrial extends Common {
  kind: 'budget-single';
  pretrain: ResolvedTraining;
  train: ResolvedTraining;
}

/** The shortcut probe: no experts, no training section. */
export interface ResolvedProbeTrial extends Common {
  kind: 'probe';
}

/**
 * A trial with every default filled in and every cross-field rule checked, one shape per
 * kind: what models, gates, jobs and reports may read without defaulting or checking again.
 * Separate from the normal form that trial ids hash (src/search/normalise.ts): resolving
 * never changes an id or a job key.
 */
export type ResolvedTrial = ResolvedMixtureTrial | ResolvedEnsembleTrial | ResolvedSingleTrial | ResolvedBudgetTrial | ResolvedProbeTrial;

const trialProps = trialConfigSchema.properties;
/** The trial's own defaults (kind, localisation), for readers of a template before it is resolved. */
export const trialDefaults = defaultsOf(trialProps);
const dataProps = dataConfigSchema.properties;
const dataDefaults = defaultsOf(dataProps);

/**
 * Resolve a trial (its normal form, or the config a job received): defaults from the
 * schema, rules JSON Schema cannot state (k <= number of experts, channels per ResNet stage,
 * the embedding knobs each architecture has, gate dim divisible by heads, a transformer
 * gate's input, evaluation groups of scored sets). Sections that do not apply to the kind
 * (a single expert's gate) are not read. `path` is the trial's JSON path in the sweep
 * file ('' for a JSON pointer from the trial's root); every error names the field under it.
 */
export function resolveTrial(trial: TrialConfig, path = ''): ResolvedTrial {
  const kind = oneOf(child(path, 'kind'), trial.kind ?? trialDefaults.kind, trialProps.kind.enum) as TrialKind;
  const seed = numberIn(child(path, 'seed'), trial.seed, trialProps.seed);
  const data = resolveData(trial.data, child(path, 'data'));
  const trainer = trial.trainer ?? 'builtin';
  if (kind === 'probe') return { kind, seed, data, trainer, experts: [] };
  if (!Array.isArray(trial.experts) || trial.experts.length === 0) fail(child(path, 'experts'), 'at least one expert', trial.experts);
  const experts = trial.experts.map((expert, index): ResolvedTrialExpert => {
    const at = child(child(path, 'experts'), index);
    const spec = resolveExpertSpec({ ...expert, sampleRate: data.sampleRate }, at);
    return {
      ...spec,
      features: expert.features,
      ...(expert.pretrainDomains !== undefined ? { pretrainDomains: [...expert.pretrainDomains] } : {}),
      ...(expert.replica !== undefined ? { replica: expert.replica } : {}),
    };
  });
  const localisation = oneOf(child(path, 'localisation'), trial.localisation ?? trialDefaults.localisation, trialProps.localisation.enum);
  const pretrain = resolveTraining(trial.pretrain, child(path, 'pretrain'));
  const common = { seed, data, trainer, experts };
  switch (kind) {
    case 'moe':
    case 'gate-ablated':
      return {
        kind,
        ...common,
        localisation,
        pretrain: { ...pretrain, enabled: trial.pretrain?.enabled ?? trialProps.pretrain.properties.enabled.default },
        train: resolveTraining(trial.train, child(path, 'train')),
        gate: resolveGateConfig(trial.gate, child(path, 'gate')),
        routing: resolveRoutingConfig(trial.routing, experts.length, child(path, 'routing')),
        moe: resolveMixtureConfig(trial.moe, child(path, 'moe')),
      };
    case 'ensemble':
      return { kind, ...common, localisation, pretrain };
    case 'single':
    case 'joint':
      return { kind, ...common, pretrain };
    case 'budget-single':
      return { kind, ...common, pretrain, train: resolveTraining(trial.train, child(path, 'train')) };
  }
}

function resolveData(data: TrialConfig['data'], path: string): ResolvedData {
  if (typeof data !== 'object' || data === null) fail(path, 'the data section (datasets, train, evaluate)', data);
  const sampleRate = numberIn(child(path, 'sampleRate'), data.sampleRate ?? dataDefaults.sampleRate, dataProps.sampleRate);
  const clipSeconds = numberIn(child(path, 'clipSeconds'), data.clipSeconds ?? dataDefaults.clipSeconds, dataProps.clipSeconds);
  checkEvaluationGroups(data, path);
  return { ...data, sampleRate, clipSeconds };
}
