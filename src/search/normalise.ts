import type { TrialConfig } from '../config/schema/index.js';
import { jsonEqual } from './paths.js';
import { FEED_FORWARD_MULTIPLE, gateDefaults, gateInputRule } from '../config/gate-config.js';
import { routingRule } from '../config/routing.js';
import { DEFAULT_DEPTH, DEFAULT_EMBEDDING_ACTIVATION, defaultResnetChannels, expertDefaults } from '../config/expert-spec.js';
import { DEFAULT_CLIP_SECONDS } from '../config/schema/index.js';

type Resolution = { config: TrialConfig } | { violation: string };
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Expert = TrialConfig['experts'][number];

/**
 * The canonical form of a trial: fields that cannot affect it are removed, so two points
 * that differ only there are the same trial (same id, run once). This is what keeps an
 * axis like `routing.k` from multiplying soft-gated trials, or `gate.*` from multiplying
 * single-expert baselines. A point that breaks a rule of its grid (top-k above the number
 * of experts) is dropped and counted, the rule read from src/config; the defaults and the
 * remaining checks are src/config/resolve-trial.ts's, run on what this returns.
 */
export function normaliseTrial(input: TrialConfig): Resolution {
  // The probe uses neither experts nor any training section: points differing only there are one probe.
  if (input.kind === 'probe') return { config: probeConfig(input) };
  const config = { ...input } as Mutable<TrialConfig>;
  // The built-in trainer is the default: left out, so trial ids and job keys stay as before trainers existed.
  if (config.trainer === 'builtin') delete config.trainer;
  // Recipe knobs at today's behaviour (or where they cannot act) are left out, so existing ids stay.
  if (config.pretrain !== undefined) config.pretrain = withoutDefaultKnobs(config.pretrain);
  if (config.train !== undefined) config.train = withoutDefaultKnobs(config.train);
  if (config.data.cropPoolSeconds !== undefined && config.data.cropPoolSeconds <= (config.data.clipSeconds ?? DEFAULT_CLIP_SECONDS)) {
    return { violation: 'data.cropPoolSeconds must be longer than data.clipSeconds: the crops of each draw are cut from that window' };
  }
  if (config.data.tileOffset === 'start') {
    const { tileOffset: _start, ...data } = config.data;
    config.data = data;
  }
  // Experts are copied only when a field must go: unchanged ones stay shared between trials.
  const dropPretrainDomains = config.kind === 'joint' || config.kind === 'budget-single';
  for (const expert of config.experts) {
    if (expert.features.kind === 'waveform' && expert.arch !== 'sincnet') {
      return { violation: `expert ${expert.arch} needs spectral features, not the waveform` };
    }
  }
  const experts = markReplicas(
    config.experts.map((expert) => {
      const dropDepth = expert.arch === 'lcnn' && expert.depth !== undefined;
      const dropDomains = dropPretrainDomains && expert.pretrainDomains !== undefined;
      const knobs = expertKnobsToDrop(expert);
      if (!dropDepth && !dropDomains && expert.replica === undefined && knobs.length === 0) return expert;
      const copy = { ...expert } as Mutable<Expert>;
      if (dropDepth) delete copy.depth;
      if (dropDomains) delete copy.pretrainDomains;
      for (const key of knobs) delete copy[key];
      delete copy.replica;
      return copy;
    }),
  );
  config.experts = experts;

  if (config.kind === 'moe' || config.kind === 'gate-ablated' || config.kind === 'ensemble') {
    if (config.localisation === 'mele' && experts.length !== config.data.train.length) {
      return { violation: 'MELE needs one expert per training selector (or one expert to copy per selector)' };
    }
  } else {
    // Baselines made of one expert: MELE's per-domain pre-training carries over to `single`
    // (each expert as pre-trained), while joint and budget-matched training use all the data
    // (their pretrainDomains were dropped above).
    delete (config as Partial<TrialConfig>).localisation;
  }

  switch (config.kind) {
    case 'moe':
    case 'gate-ablated':
      return normaliseMixture(config);
    case 'ensemble':
      if (config.pretrain?.enabled === false) return { violation: 'an ensemble averages pre-trained experts: it needs pretrain.enabled' };
      if (experts.length < 2) return { violation: 'an ensemble needs at least two experts' };
      return { config: withoutMixture(config, 'train') };
    case 'single':
    case 'joint':
      return { config: withoutMixture(config, 'train') };
    case 'budget-single': {
      // Budget-matched: one expert pre-trained, then trained on for exactly the mixture
      // stage's schedule (`train`), so it sees as many steps as a mixture's expert; the
      // gate's settings do not apply to it.
      const out = withoutMixture(config, 'gate-only');
      return { config: out };
    }
    default:
      return { violation: `unknown trial kind ${String(config.kind)}` };
  }
}

function normaliseMixture(config: Mutable<TrialConfig>): Resolution {
  const routing = { ...config.routing };
  const gate = { ...config.gate };
  const moe = { ...config.moe };
  if (routing.mode === 'soft') {
    delete routing.k;
    delete routing.weighting;
  }
  else {
    const broken = routingRule(routing, config.experts.length);
    if (broken) return { violation: broken.summary };
  }
  if (routing.balance === 'none') delete routing.balanceWeight;
  const inputRule = gateInputRule(gate);
  if (inputRule) return { violation: inputRule.summary };
  if (gate.type === 'mlp') {
    delete gate.dim;
    delete gate.layers;
    delete gate.heads;
    delete gate.feedForward;
  } else {
    if (gate.feedForward === FEED_FORWARD_MULTIPLE * (gate.dim ?? gateDefaults.dim)) delete gate.feedForward;
    delete gate.hidden;
  }
  if (moe.loss === 'shared') delete moe.expertLossWeight;
  if (config.pretrain?.enabled === false) {
    if (moe.freezeExperts) return { violation: 'frozen experts must be pre-trained (moe.freezeExperts needs pretrain.enabled)' };
    config.pretrain = { enabled: false };
  }
  config.routing = routing;
  config.gate = gate;
  config.moe = moe;
  return { config };
}

/**
 * A probe trial: its kind, seed and clean data (it reads the files, not augmented clips).
 * The schema's non-empty expert list does not apply after normalisation: the list is empty.
 */
function probeConfig(input: TrialConfig): TrialConfig {
  const { augmentation: _augmentation, ...data } = input.data;
  return { kind: 'probe', seed: input.seed, experts: [] as unknown as TrialConfig['experts'], data: data as TrialConfig['data'] };
}

/**
 * Baselines without a gate: drop the mixture's fields and keep pre-training as the
 * expert's training; `gate-only` keeps the mixture stage's schedule (`train`) too.
 */
function withoutMixture(config: Mutable<TrialConfig>, drop: 'train' | 'gate-only'): Mutable<TrialConfig> {
  const out = { ...config } as Partial<Mutable<TrialConfig>>;
  delete out.gate;
  delete out.routing;
  delete out.moe;
  if (drop === 'train') delete out.train;
  if (out.pretrain) {
    const { enabled: _enabled, ...hyper } = out.pretrain;
    out.pretrain = hyper;
  }
  return out as Mutable<TrialConfig>;
}

/** Identical experts in one set get distinct replica numbers, so each has its own initialisation. */
function markReplicas(experts: Expert[]): Expert[] {
  const seen: Expert[] = [];
  return experts.map((expert) => {
    const copies = seen.filter((other) => jsonEqual(other, expert)).length;
    seen.push(expert);
    return copies > 0 ? { ...expert, replica: copies } : expert;
  });
}

type Training = NonNullable<TrialConfig['train']>;

/**
 * A training section without the recipe knobs (#16) that equal today's behaviour or cannot
 * act: class pools without balanced batches, a tie break when the monitored loss is the
 * tie breaker itself. Copied only when something goes.
 */
function withoutDefaultKnobs<T extends Training>(section: T): T {
  const drop: Array<keyof Training> = [];
  if (section.classPools === 'epoch' || (section.classPools !== undefined && section.balanced === false)) drop.push('classPools');
  if (section.validationNorm === 'recalibrate') drop.push('validationNorm');
  if (section.tieBreak === 'first' || (section.tieBreak !== undefined && section.monitor !== 'eer')) drop.push('tieBreak');
  if (drop.length === 0) return section;
  const copy = { ...section } as Mutable<T>;
  for (const key of drop) delete copy[key];
  return copy;
}

/**
 * An expert's recipe knobs (#16) that say what leaving them out says: channels equal to
 * the width's (else the width goes, as explicit channels replace it), the architecture's
 * own embedding activation, the embedding before the norm.
 */
function expertKnobsToDrop(expert: Expert): Array<keyof Expert> {
  const drop: Array<keyof Expert> = [];
  if (expert.channels !== undefined && expert.arch === 'resnet') {
    const depth = expert.depth ?? DEFAULT_DEPTH.resnet;
    drop.push(jsonEqual(expert.channels, defaultResnetChannels(depth, expert.width ?? expertDefaults.width)) ? 'channels' : 'width');
  }
  if (expert.embeddingActivation !== undefined && expert.embeddingActivation === DEFAULT_EMBEDDING_ACTIVATION[expert.arch]) drop.push('embeddingActivation');
  if (expert.embeddingAt === 'before-norm') drop.push('embeddingAt');
  return drop;
}
