import { closest } from 'fastest-levenshtein';
import { UserError } from '../util/errors.js';
import { checkAgainst } from './validate.js';
import { clone, isPlainObject, jsonEqual, type Json, type JsonObject } from './paths.js';
import { expertSetSchema, trialConfigSchema, type SweepFile, type TrialConfig } from '../config/schema/index.js';
import { normaliseTrial } from './normalise.js';
import { resolveTrial, trialDefaults } from '../config/resolve-trial.js';
import { ConfigRuleError } from '../config/schema-rules.js';

/** A resolved point, or the built-in rule it breaks (it is then dropped and counted). */
export type Resolution = { config: TrialConfig } | { violation: string };

/**
 * Turn a template into fully resolved trials: expand its expert set (a cross product or a
 * pool gives one trial per concrete set; a single-expert baseline gives one per expert),
 * inline named features and experts, fill defaults, then normalise so that fields which do
 * not apply are gone and equal trials hash equal.
 */
export function resolvePoint(sweep: SweepFile, template: JsonObject, locate?: (trialPointer: string) => string | undefined): Resolution[] {
  const expertSets = expandExpertSet(sweep, template['experts']);
  const results: Resolution[] = [];
  for (const set of expertSets) {
    const kind = (template['kind'] as string | undefined) ?? trialDefaults.kind;
    const experts = localiseExperts(template, set);
    const perTrial = kind === 'single' || kind === 'joint' || kind === 'budget-single' ? experts.map((e) => [e]) : [experts];
    for (const set of perTrial) {
      // Shallow: sub-objects stay shared between points. Filling defaults writes into them,
      // which is harmless because every point fills the same defaults at the same place.
      const config: JsonObject = { ...template, experts: set };
      const problems = checkAgainst(trialConfigSchema, config, '', { fillDefaults: true });
      if (problems.length > 0) {
        const first = problems[0] as { pointer: string; message: string };
        throw new UserError(`a trial of this sweep is invalid at ${first.pointer || '(top level)'}: ${first.message}`);
      }
      const resolution = normaliseTrial(config as unknown as TrialConfig);
      // Every trial that survives the normal form is resolved once here, so a broken
      // cross-field rule fails `plan` with its path instead of a job mid-run.
      if ('config' in resolution) checked(resolution.config, locate);
      results.push(resolution);
    }
  }
  return results;
}

/** Resolve a trial only to check it; a broken rule names the trial's path and, where known, the sweep file's. */
function checked(config: TrialConfig, locate?: (trialPointer: string) => string | undefined): void {
  try {
    resolveTrial(config);
  } catch (error) {
    if (!(error instanceof ConfigRuleError)) throw error;
    const where = locate?.(error.path);
    throw new UserError(`a trial of this sweep is invalid at ${error.message}${where ? ` It is set at ${where}.` : ''}`, { cause: error });
  }
}

/**
 * MELE: one expert per training selector, pre-trained on that selector alone. A single
 * expert template is copied once per selector; a list as long as the selectors is paired
 * with them in order. MILE (the default) trains every expert on all the training data.
 */
function localiseExperts(template: JsonObject, experts: JsonObject[]): JsonObject[] {
  if ((template['localisation'] ?? trialDefaults.localisation) !== 'mele') return experts.map(({ pretrainDomains: _drop, ...rest }) => rest);
  const data = isPlainObject(template['data']) ? template['data'] : {};
  const selectors = Array.isArray(data['train']) ? (data['train'] as string[]) : [];
  if (experts.length === 1 && selectors.length > 1) {
    return selectors.map((selector) => ({ ...clone(experts[0] as JsonObject), pretrainDomains: [selector] }));
  }
  if (experts.length === selectors.length) {
    return experts.map((expert, index) => (expert['pretrainDomains'] ? expert : { ...expert, pretrainDomains: [selectors[index] as string] }));
  }
  return experts;
}

/** Every concrete expert list an expert-set spec stands for. */
export function expandExpertSet(sweep: SweepFile, spec: unknown): JsonObject[][] {
  if (spec === undefined) throw new UserError('no experts: set `base.experts` (a list, a {cross: ...} or a {pool: ..., count: ...}).');
  if (Array.isArray(spec)) return [spec.map((ref) => resolveExpert(sweep, ref))];
  if (!isPlainObject(spec)) throw new UserError('`experts` must be a list of experts, a {cross: ...} or a {pool: ..., count: ...}.');
  if (isPlainObject(spec['cross'])) {
    const cross = spec['cross'] as { arch: string[]; features: Json[] };
    const common = isPlainObject(spec['common']) ? spec['common'] : {};
    const experts = cross.arch.flatMap((arch) => cross.features.map((features) => resolveExpert(sweep, { ...common, arch, features })));
    return [experts];
  }
  const pool = (spec['pool'] as Json[]).map((ref) => resolveExpert(sweep, ref));
  const counts = Array.isArray(spec['count']) ? (spec['count'] as number[]) : [spec['count'] as number];
  const select = (spec['select'] as string | undefined) ?? expertSetSchema.anyOf[2].properties.select.default;
  return counts.flatMap((count) => {
    if (count > pool.length) {
      throw new UserError(`experts.count ${count} exceeds the pool of ${pool.length} experts: lower the count or add experts to the pool.`);
    }
    return select === 'prefix' ? [pool.slice(0, count)] : combinations(pool, count);
  });
}

/** Resolved experts by their reference object: points share references, so they share the result. */
const resolvedExperts = new WeakMap<object, JsonObject>();

const resolvedNamedExperts = new WeakMap<object, Map<string, JsonObject>>();

function resolveExpert(sweep: SweepFile, ref: unknown): JsonObject {
  if (isPlainObject(ref)) {
    const cached = resolvedExperts.get(ref);
    if (cached) return cached;
    const resolved = resolveExpertUncached(sweep, ref);
    resolvedExperts.set(ref, resolved);
    return resolved;
  }
  if (typeof ref === 'string') {
    const byName = resolvedNamedExperts.get(sweep) ?? new Map<string, JsonObject>();
    resolvedNamedExperts.set(sweep, byName);
    const cached = byName.get(ref);
    if (cached) return cached;
    const resolved = resolveExpertUncached(sweep, ref);
    byName.set(ref, resolved);
    return resolved;
  }
  return resolveExpertUncached(sweep, ref);
}

function resolveExpertUncached(sweep: SweepFile, ref: unknown): JsonObject {
  let expert: JsonObject;
  if (typeof ref === 'string') {
    const named = sweep.experts?.[ref];
    if (!named) throw unknownName('expert', ref, Object.keys(sweep.experts ?? {}), 'experts');
    expert = clone(named as unknown as JsonObject);
  } else if (isPlainObject(ref)) {
    expert = clone(ref);
  } else {
    throw new UserError(`an expert must be a name or an object (got ${JSON.stringify(ref)}).`);
  }
  const features = expert['features'];
  if (typeof features === 'string') {
    const named = sweep.features?.[features];
    if (!named) throw unknownName('feature set', features, Object.keys(sweep.features ?? {}), 'features');
    expert['features'] = clone(named as unknown as JsonObject);
  } else if (features === undefined) {
    if (expert['arch'] !== 'sincnet') {
      throw new UserError(`expert ${JSON.stringify(expert['arch'])} needs \`features\` (a name from the sweep's \`features\` map or an inline config).`);
    }
    expert['features'] = { kind: 'waveform' };
  }
  if (expert['arch'] === 'sincnet' && isPlainObject(expert['features']) && expert['features']['kind'] !== 'waveform') {
    throw new UserError('the sincnet expert reads the waveform: give it `features: {"kind": "waveform"}` or leave features out.');
  }
  return expert;
}

function unknownName(what: string, name: string, known: string[], section: string): UserError {
  const suggestion = known.length > 0 ? closest(name, known) : undefined;
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
  const list = known.length > 0 ? ` Defined: ${known.join(', ')}.` : ` The sweep's \`${section}\` map is empty.`;
  return new UserError(`unknown ${what} "${name}".${hint}${list}`);
}

function combinations<T>(items: T[], size: number): T[][] {
  if (size === 0) return [[]];
  const out: T[][] = [];
  items.forEach((item, index) => {
    for (const rest of combinations(items.slice(index + 1), size - 1)) out.push([item, ...rest]);
  });
  return out;
}

export { jsonEqual };
