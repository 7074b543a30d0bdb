import { checkAgainst } from './validate.js';
import { deepMerge, getPath, jsonEqual, withPath, type Json, type JsonObject } from './paths.js';
import { trialTemplateSchema, type SweepFile } from '../config/schema/index.js';
import { TrialLimit } from './trial-limit.js';

/**
 * A point of the search space before resolution: a trial template, where it came from and
 * the seeds it runs with. Seeds stay apart from the template because they never change how
 * a point resolves, so a point is resolved once for all its seeds.
 */
export interface RawPoint {
  template: JsonObject;
  origin: 'grid' | 'include';
  seeds: number[];
}

interface Axis {
  path: string;
  values: Json[];
  when?: Record<string, Json>;
}

/**
 * The grid's product, conditional axes applied only where their `when` matches (so an
 * axis that does not apply never multiplies trials), then `include` points; each runs once
 * per seed. Exclusion, constraints and dedupe happen after resolution.
 */
export function expandPoints(sweep: SweepFile): RawPoint[] {
  const base = (sweep.base ?? {}) as JsonObject;
  const axes = Object.entries(sweep.grid ?? {}).map(([path, axis]): Axis => {
    if (Array.isArray(axis)) return { path, values: axis as Json[] };
    const spec = axis as { values: Json[]; when?: Record<string, Json> };
    return spec.when ? { path, values: spec.values, when: spec.when } : { path, values: spec.values };
  });
  const seeds = seedsOf(sweep);
  const limit = new TrialLimit(seeds.length, (sweep.include ?? []).length);
  // Counted before each product is built: a grid of millions fails here, in milliseconds,
  // instead of running out of memory minutes later.
  limit.check(axes.filter((a) => !a.when).reduce((count, axis) => count * axis.values.length, 1));
  let points: JsonObject[] = [base];
  for (const axis of axes.filter((a) => !a.when)) points = points.flatMap((point) => applyAxis(point, axis));
  for (const axis of axes.filter((a) => a.when)) {
    const holds = points.map((point) => conditionHolds(point, axis.when ?? {}));
    limit.check(points.length + holds.filter(Boolean).length * (axis.values.length - 1));
    points = points.flatMap((point, i) => (holds[i] ? applyAxis(point, axis) : [point]));
  }
  const includes = (sweep.include ?? []).map((entry) => {
    let template = base;
    for (const [path, value] of Object.entries(entry)) template = withPath(template, path, value as Json);
    return template;
  });
  const withSeeds = (template: JsonObject, origin: RawPoint['origin']): RawPoint => {
    if (typeof template['seed'] !== 'number') return { template, origin, seeds };
    const { seed, ...rest } = template;
    return { template: rest, origin, seeds: [seed as number] };
  };
  return [...points.map((t) => withSeeds(t, 'grid')), ...includes.map((t) => withSeeds(t, 'include'))];
}

export function seedsOf(sweep: SweepFile): number[] {
  if (sweep.seeds) return [...sweep.seeds];
  if (sweep.repeats) return Array.from({ length: sweep.repeats }, (_, i) => i);
  return [0];
}

/** One point per level; points share every object the axis does not touch. */
function applyAxis(point: JsonObject, axis: Axis): JsonObject[] {
  return axis.values.map((value) => withPath(point, axis.path, value));
}

/**
 * Whether a point matches a `when` (each path equals the value or is one of a list). The
 * point is read with the schema's defaults filled in, so `when: {"routing.mode": "soft"}`
 * matches a point that never set the routing mode.
 */
export function conditionHolds(point: JsonObject, when: Record<string, Json>): boolean {
  const withDefaults = withTemplateDefaults(point);
  return Object.entries(when).every(([path, accepted]) => matches(getPath(withDefaults, path), accepted));
}

/** Value matches a pattern entry: equal, or (when the pattern is a list) equal to one of it. */
export function matches(value: unknown, accepted: Json): boolean {
  if (Array.isArray(accepted) && !Array.isArray(value)) return accepted.some((a) => jsonEqual(value, a));
  if (Array.isArray(accepted) && Array.isArray(value)) return jsonEqual(value, accepted) || accepted.some((a) => jsonEqual(value, a));
  return jsonEqual(value, accepted);
}

function withTemplateDefaults(point: JsonObject): JsonObject {
  const copy = deepMerge({}, point);
  // Filling defaults never fails on a valid point; an invalid one is reported later with its path.
  checkAgainst(trialTemplateSchema, copy, '', { fillDefaults: true });
  return copy;
}

