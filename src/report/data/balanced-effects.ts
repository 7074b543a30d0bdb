import { mean } from 'simple-statistics';
import type { SeedSummary } from '../../metrics/index.js';
import type { Json } from '../../search/paths.js';
import { canonicalJson } from '../../util/hash.js';
import { clusterBootstrap } from '../compare/compare.js';
import { signFlipTest } from '../compare/sign-flip.js';
import { averagedOverSeeds, trialsAtLevel } from './effects.js';
import type { Configuration, ReportData } from './types.js';

export interface LevelEstimate {
  level: Json;
  /** Mean over seeds of the level's mean over the cells used, with its 95 % seed interval. */
  summary: SeedSummary;
}

export interface LevelDifference {
  level: Json;
  reference: Json;
  /** Mean over (cell, seed) units of metric(level) - metric(reference). */
  meanDiff: number;
  /** 95 % percentile bootstrap over (cell, seed) units (balanced), or over seeds (marginal). */
  interval: { lower: number; upper: number; level: number };
  /** Paired sign-flip test over the same units. */
  pValue: number;
  units: number;
}

export interface BalancedEffect {
  factor: string;
  dataset: string;
  metric: string;
  /**
   * "balanced": the levels compared within cells (configurations equal in every other
   * parameter) that ran every level, so other factors cancel. "marginal": no such cell, so
   * each level is averaged over whatever trials have it, and its differences include those
   * of the factors the levels ran with (label it so).
   */
  estimate: 'balanced' | 'marginal';
  /** Cells that ran every level, and all cells with at least one level of the factor. */
  cells: number;
  of: number;
  levels: LevelEstimate[];
  /** Each level against the first (the reference). */
  differences: LevelDifference[];
  /** The cells used (balanced only): canonical level -> its configurations in the cell (several where a parameter is nested in the level). */
  cellMembers: Array<Map<string, Configuration[]>>;
}

/**
 * The main effect of a factor on balanced cells. Configurations that set `path` are grouped
 * into cells by every other parameter (and kind); cells holding every level form the crossed
 * sub-grid, and only they enter the estimate, so a factor whose levels ran with different
 * mixes of other factors (pre-training off only for one gate, routing.k only under top-k) is
 * not confounded with them. The level difference is paired within each cell and seed (the
 * unit); its interval and p-value resample and sign-flip those units, as `ablate compare`
 * does. Without any complete cell, the marginal means are returned, marked as such.
 */
export function balancedEffect(data: ReportData, path: string, dataset: string, metric: string, options: { iterations?: number; seed?: number } = {}): BalancedEffect | null {
  const configurations = data.configurations.filter((c) => path in c.params);
  const declared = data.factors.find((f) => f.path === path)?.levels ?? [];
  const levels = orderedUnique([...declared, ...configurations.map((c) => c.params[path] as Json)]).filter((l) =>
    configurations.some((c) => canonicalJson(c.params[path] as Json) === canonicalJson(l)),
  );
  if (levels.length === 0) return null;
  const nested = nestedParameters(configurations, path);
  const cells = new Map<string, Map<string, Configuration[]>>();
  for (const c of configurations) {
    const signature = cellSignature(c, path, nested);
    const cell = cells.get(signature) ?? new Map<string, Configuration[]>();
    cells.set(signature, cell);
    const key = canonicalJson(c.params[path] as Json);
    cell.set(key, [...(cell.get(key) ?? []), c]);
  }
  const complete = [...cells.values()].filter((cell) => levels.every((l) => cell.has(canonicalJson(l))));
  const iterations = options.iterations ?? 4000;
  const seed = options.seed ?? 0;
  if (complete.length === 0 || levels.length < 2) return marginalEffect(data, path, levels, dataset, metric, cells.size, iterations, seed);
  const estimates: LevelEstimate[] = [];
  for (const level of levels) {
    const trials = complete.flatMap((cell) => (cell.get(canonicalJson(level)) as Configuration[]).flatMap((c) => c.trials));
    const summary = averagedOverSeeds(data, trials, dataset, metric);
    if (summary) estimates.push({ level, summary });
  }
  const reference = levels[0] as Json;
  const differences: LevelDifference[] = [];
  for (const level of levels.slice(1)) {
    const units: number[] = [];
    for (const cell of complete) {
      const a = valuesBySeed(data, cell.get(canonicalJson(level)) as Configuration[], dataset, metric);
      const b = valuesBySeed(data, cell.get(canonicalJson(reference)) as Configuration[], dataset, metric);
      for (const [s, va] of a) {
        const vb = b.get(s);
        if (vb !== undefined) units.push(va - vb);
      }
    }
    if (units.length === 0) continue;
    differences.push({
      level,
      reference,
      meanDiff: mean(units),
      interval: clusterBootstrap(units, units.map(() => 1), iterations, seed),
      pValue: signFlipTest(units, { seed }).pValue,
      units: units.length,
    });
  }
  if (estimates.length === 0) return null;
  return { factor: path, dataset, metric, estimate: 'balanced', cells: complete.length, of: cells.size, levels: estimates, differences, cellMembers: complete };
}

/**
 * Marginal means: each level over all its trials, averaged within seeds. The differences
 * pair on seeds only (the seed's mean at the level minus its mean at the reference).
 */
function marginalEffect(data: ReportData, path: string, levels: Json[], dataset: string, metric: string, of: number, iterations: number, seed: number): BalancedEffect | null {
  const estimates: LevelEstimate[] = [];
  const seedMeans = new Map<string, Map<number, number>>();
  for (const level of levels) {
    const trials = trialsAtLevel(data.trials, path, level);
    const summary = averagedOverSeeds(data, trials, dataset, metric);
    if (summary) estimates.push({ level, summary });
    const bySeed = new Map<number, number[]>();
    for (const t of trials) {
      const v = data.scores.get(t.id)?.get(dataset)?.[metric];
      if (v !== undefined) bySeed.set(t.seed, [...(bySeed.get(t.seed) ?? []), v]);
    }
    seedMeans.set(canonicalJson(level), new Map([...bySeed].map(([s, vs]) => [s, mean(vs)])));
  }
  if (estimates.length === 0) return null;
  const reference = levels[0] as Json;
  const differences: LevelDifference[] = [];
  for (const level of levels.slice(1)) {
    const a = seedMeans.get(canonicalJson(level)) as Map<number, number>;
    const b = seedMeans.get(canonicalJson(reference)) as Map<number, number>;
    const units = [...a].flatMap(([s, va]) => (b.has(s) ? [va - (b.get(s) as number)] : []));
    if (units.length === 0) continue;
    differences.push({ level, reference, meanDiff: mean(units), interval: clusterBootstrap(units, units.map(() => 1), iterations, seed), pValue: signFlipTest(units, { seed }).pValue, units: units.length });
  }
  return { factor: path, dataset, metric, estimate: 'marginal', cells: 0, of, levels: estimates, differences, cellMembers: [] };
}

function cellSignature(c: Configuration, path: string, nested: Set<string>): string {
  const others = Object.keys(c.params).filter((p) => p !== path && !nested.has(p)).sort();
  return [...(path === 'kind' ? [] : [`kind=${c.kind}`]), ...others.map((p) => `${p}=${canonicalJson(c.params[p] as Json)}`)].join('\u0000');
}

/**
 * Parameters that exist at some levels of the factor and at none of others (routing.k under
 * routing.mode = topk): they are part of what a level is, not a factor to hold equal, so they
 * are left out of the cell's signature and a level's configurations within a cell are averaged.
 */
function nestedParameters(configurations: Configuration[], path: string): Set<string> {
  const byLevel = new Map<string, Configuration[]>();
  for (const c of configurations) {
    const key = canonicalJson(c.params[path] as Json);
    byLevel.set(key, [...(byLevel.get(key) ?? []), c]);
  }
  const names = new Set(configurations.flatMap((c) => Object.keys(c.params)));
  const nested = new Set<string>();
  for (const name of names) {
    if (name === path) continue;
    const presence = [...byLevel.values()].map((cs) => {
      const has = cs.filter((c) => name in c.params).length;
      return has === 0 ? 'none' : has === cs.length ? 'all' : 'some';
    });
    if (!presence.includes('some') && presence.includes('none') && presence.includes('all')) nested.add(name);
  }
  return nested;
}

/** Per seed, the mean of the configurations' values (one configuration, or a nested level's several). */
function valuesBySeed(data: ReportData, configurations: Configuration[], dataset: string, metric: string): Map<number, number> {
  const bySeed = new Map<number, number[]>();
  for (const c of configurations) {
    for (const t of c.trials) {
      const v = data.scores.get(t.id)?.get(dataset)?.[metric];
      if (v !== undefined && t.state === 'done') bySeed.set(t.seed, [...(bySeed.get(t.seed) ?? []), v]);
    }
  }
  return new Map([...bySeed].map(([s, vs]) => [s, mean(vs)]));
}

function orderedUnique(values: Json[]): Json[] {
  const seen = new Map<string, Json>();
  for (const v of values) if (!seen.has(canonicalJson(v))) seen.set(canonicalJson(v), v);
  return [...seen.values()];
}
