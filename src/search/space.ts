import { UserError } from '../util/errors.js';
import { expandPoints } from './expand.js';
import { resolvePoint } from './resolve.js';
import { fieldOrigin } from './field-origin.js';
import { compileConstraints, excludedBy } from './filters.js';
import type { Trial } from './trial.js';
import { ContentHasher } from '../util/hash.js';
import { expertsView } from './trial-view.js';
import { trainerLabel } from '../config/schema/trainer.js';
import { flatten, type Json, type JsonObject } from './paths.js';
import type { LoadedSweep } from './load-sweep.js';

export interface ExpansionStats {
  /** Points of the grid and includes, times seeds, before expert sets were expanded. */
  points: number;
  /** Trials after expert-set expansion and resolution. */
  resolved: number;
  excluded: number;
  constraintViolations: Record<string, number>;
  ruleViolations: Record<string, number>;
  /** Resolved trials equal to an earlier one (collapsed). */
  duplicates: number;
}

export interface SearchSpace {
  name: string;
  file: string;
  trials: Trial[];
  /** Parameters that differ between trials, with their levels, in a stable order. */
  varying: Array<{ path: string; levels: Json[] }>;
  stats: ExpansionStats;
  /** The hasher that made the ids, reused by the planner for its memo of shared sub-objects. */
  hasher: ContentHasher;
}

/** Expand a validated sweep into its distinct trials (grid -> resolve -> filter -> dedupe). */
export function expandSweep(loaded: LoadedSweep): SearchSpace {
  const { sweep, file } = loaded;
  const stats: ExpansionStats = { points: 0, resolved: 0, excluded: 0, constraintViolations: {}, ruleViolations: {}, duplicates: 0 };
  const constraints = withFile(file, () => compileConstraints(sweep.constraints ?? []));
  const points = withFile(file, () => expandPoints(sweep));
  const excludes = (sweep.exclude ?? []) as Array<Record<string, Json>>;
  const trials = new Map<string, Trial>();
  const hasher = new ContentHasher();
  // Resolved configs without their seed, for those that gave at least one trial.
  const bases = new Set<Trial['config']>();
  for (const point of points) {
    stats.points += point.seeds.length;
    // The seed never changes how a point resolves: resolve once with a stand-in seed.
    const resolutions = withFile(file, () => resolvePoint(sweep, { ...point.template, seed: point.seeds[0] ?? 0 }, (pointer) => fieldOrigin(loaded, point, pointer)));
    for (const resolution of resolutions) {
      if ('violation' in resolution) {
        stats.ruleViolations[resolution.violation] = (stats.ruleViolations[resolution.violation] ?? 0) + point.seeds.length;
        continue;
      }
      const shared = internSections(hasher, resolution.config);
      for (const seed of point.seeds) {
        stats.resolved++;
        const config = { ...shared, seed };
        if (excludes.some((pattern) => excludedBy(pattern, config, point.template))) {
          stats.excluded++;
          continue;
        }
        const broken = constraints.length > 0 ? withFile(file, () => constraints.find((c) => !c.holds(config))) : undefined;
        if (broken) {
          stats.constraintViolations[broken.expression] = (stats.constraintViolations[broken.expression] ?? 0) + 1;
          continue;
        }
        const id = hasher.hashWith(shared, 'seed', seed);
        if (trials.has(id)) stats.duplicates++;
        else {
          trials.set(id, { id, config, base: shared });
          bases.add(shared);
        }
      }
    }
  }
  if (trials.size === 0) throw emptySweepError(file, stats);
  const list = [...trials.values()];
  return { name: sweep.name, file, trials: list, varying: varyingParameters(list, [...bases], hasher), stats, hasher };
}

/** Share equal sections between trials (see ContentHasher.intern). */
function internSections(hasher: ContentHasher, config: Trial['config']): Trial['config'] {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) out[key] = hasher.intern(value);
  return out as Trial['config'];
}

function withFile<T>(file: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof UserError && !error.message.startsWith(file)) {
      throw new UserError(`${file}: ${error.message}`, { exitCode: error.exitCode, cause: error });
    }
    throw error;
  }
}

function emptySweepError(file: string, stats: ExpansionStats): UserError {
  const reasons: string[] = [];
  for (const [rule, count] of Object.entries(stats.ruleViolations)) reasons.push(`${count} broke the rule: ${rule}`);
  if (stats.excluded > 0) reasons.push(`${stats.excluded} matched an exclude pattern`);
  for (const [constraint, count] of Object.entries(stats.constraintViolations)) {
    reasons.push(`${count} failed the constraint ${JSON.stringify(constraint)}${count === stats.resolved - stats.excluded ? ' (no trial can satisfy it)' : ''}`);
  }
  return new UserError(
    `${file}: the sweep expands to zero trials. Of ${stats.points} grid points: ${reasons.join('; ') || 'none resolved'}. ` +
      'Loosen the constraints or excludes, or fix the rule named above.',
  );
}

/**
 * Dotted paths whose values differ between the trials that have them. A field only some
 * trials have (a baseline has no gate) is not a parameter of its own: `kind` tells them apart.
 * A trial's flat view is the union of its top-level sections' views, and trials share
 * interned sections, so each distinct section object is flattened once (far fewer than
 * the trials); the seed, the one field that differs for most trials, is collected apart.
 */
function varyingParameters(trials: Trial[], bases: Array<Trial['config']>, hasher: ContentHasher): Array<{ path: string; levels: Json[] }> {
  const levelsByPath = new Map<string, Map<string, Json>>();
  const seeds = new Map<string, Json>();
  for (const trial of trials) seeds.set(String(trial.config.seed), trial.config.seed);
  const seenSections = new Map<string, Set<unknown>>();
  const trainers = new Map<unknown, string>();
  const levelsOf = (path: string): Map<string, Json> => {
    const levels = levelsByPath.get(path) ?? new Map<string, Json>();
    levelsByPath.set(path, levels);
    return levels;
  };
  const addLevels = (view: Record<string, Json>): void => {
    for (const [path, value] of Object.entries(view)) {
      const levels = levelsByPath.get(path) ?? new Map<string, Json>();
      levelsByPath.set(path, levels);
      levels.set(hasher.canonical(value), value);
    }
  };
  for (const base of bases) {
    for (const [key, section] of Object.entries(base)) {
      if (key === 'seed' || section === undefined) continue;
      const seen = seenSections.get(key) ?? new Set<unknown>();
      seenSections.set(key, seen);
      if (seen.has(section)) continue;
      seen.add(section);
      if (key === 'experts') addLevels(expertsView(section as Trial['config']['experts']));
      else if (key === 'trainer') trainers.set(section, trainerLabel(section as Trial['config']['trainer']));
      else addLevels(flatten({ [key]: section } as JsonObject));
    }
    // The built-in trainer is left out of the normal form: a trial without one has it.
    if (base.trainer === undefined) trainers.set(null, 'builtin');
  }
  // Trainers vary by name; by their fields too only where two of them share a name.
  for (const name of new Set(trainers.values())) levelsOf('trainerName').set(JSON.stringify(name), name);
  if (new Set(trainers.values()).size < trainers.size) {
    for (const section of trainers.keys()) if (section !== null) addLevels(flatten({ trainer: section } as unknown as JsonObject));
  }
  levelsByPath.set('seed', seeds);
  const out: Array<{ path: string; levels: Json[] }> = [];
  for (const [path, levels] of levelsByPath) if (levels.size > 1) out.push({ path, levels: [...levels.values()] });
  const preferred = ['kind', 'expertSet', 'numExperts'];
  return out
    .filter((p) => p.path !== 'experts' && p.path !== 'expertArchs' && p.path !== 'expertFeatures')
    .sort((a, b) => rank(a.path, preferred) - rank(b.path, preferred) || a.path.localeCompare(b.path));
}

function rank(path: string, preferred: string[]): number {
  const index = preferred.indexOf(path);
  if (index >= 0) return index;
  return path === 'seed' ? 1000 : 100;
}
