import { NAMED_METRICS, type MetricName } from '../../metrics/index.js';
import { resolveMetric } from '../../metrics/detection.js';
import { eerOfSorted } from '../../metrics/eer-merged.js';
import { percentileInterval } from '../../metrics/quantile.js';
import { drawCounts, expandSorted } from '../../metrics/resample.js';
import { Rng } from '../../util/rng.js';
import type { ItemScoreSource } from '../compare/item-pairs.js';
import { aggregateSets, type Configuration, type ReportData } from './types.js';

export interface ItemSeedInterval {
  /** Mean over seeds of the metric on the set (for an aggregate, the mean over its sets). */
  mean: number;
  lower: number;
  upper: number;
  level: number;
  seeds: number;
  /** Items per seed behind the value (summed over the sets of an aggregate). */
  items: number;
}

/** configuration key -> evaluation set or aggregate key -> interval. */
export type ConfigurationIntervals = Map<string, Map<string, ItemSeedInterval>>;

interface SetData {
  name: string;
  group: 'known' | 'unknown';
  /** Per class (bona fide, spoof): the item count and, per seed, the scores in a shared item order with their ascending order. */
  classes: Array<{ n: number; seeds: Array<{ values: Float64Array; order: Uint32Array }>; counts: Uint32Array; out: Float64Array }>;
}

/**
 * Each configuration's metric per evaluation set and per known / unknown / all group with a
 * 95 % percentile-bootstrap interval over both sources of chance: the seeds (training runs)
 * and the items (the clips of the evaluation set). A replicate draws seeds with replacement
 * and, per set, one stratified draw of the items that every drawn seed is scored on (the
 * clips are the same for all seeds, so items and seeds are crossed, not nested). A set enters
 * only where every finished seed of the configuration has per-item scores for it; the
 * configurations or sets without them are left out (the seed-only interval then stands).
 */
export async function configurationIntervals(
  data: ReportData,
  source: ItemScoreSource,
  options: {
    metric?: string;
    iterations?: number;
    seed?: number;
    budget?: number;
    minIterations?: number;
    /** false: every replicate keeps all seeds and resamples the clips only (the part of the interval the evaluation set's size controls). Default true. */
    resampleSeeds?: boolean;
  } = {},
): Promise<ConfigurationIntervals> {
  const metric = options.metric ?? 'eer';
  const out: ConfigurationIntervals = new Map();
  if (!(metric in NAMED_METRICS)) return out;
  // The fused EER: bit-identical, without the allocations of a merge per replicate.
  const compute = metric === 'eer' ? eerOfSorted : resolveMetric(metric as MetricName);
  const all: Array<{ configuration: Configuration; sets: SetData[] }> = [];
  for (const configuration of data.configurations) {
    const sets = await setsOf(configuration, data, source);
    if (sets.length > 0) all.push({ configuration, sets });
  }
  // A budget of item scores resampled in all (seeds x items per replicate) keeps a report of
  // many configurations with large evaluation sets quick; too few replicates left: none given.
  const perIteration = all.reduce((n, { sets }) => n + sets.reduce((m, s) => m + s.classes.reduce((k, c) => k + c.n * c.seeds.length, 0), 0), 0);
  const iterations = Math.min(options.iterations ?? 1000, options.budget === undefined ? Infinity : Math.floor(options.budget / Math.max(1, perIteration)));
  if (iterations < (options.minIterations ?? 1)) return out;
  for (const { configuration, sets } of all) {
    const seeds = (sets[0] as SetData).classes[0]?.seeds.length ?? 0;
    const rng = Rng.fromLabels('report.item-seed-intervals', options.seed ?? 0, configuration.key);
    const estimate = new Map(sets.map((s) => [s.name, meanOverSeeds(s, [...Array(seeds).keys()], compute, false)]));
    const replicates = new Map(sets.map((s) => [s.name, new Float64Array(iterations)]));
    const drawn: number[] = new Array<number>(seeds);
    for (let r = 0; r < iterations; r++) {
      for (let i = 0; i < seeds; i++) drawn[i] = options.resampleSeeds === false ? i : rng.int(seeds);
      for (const set of sets) {
        for (const c of set.classes) drawCounts(c.n, rng, c.counts);
        (replicates.get(set.name) as Float64Array)[r] = meanOverSeeds(set, drawn, compute, true);
      }
    }
    const byDataset = new Map<string, ItemSeedInterval>();
    const items = (s: SetData) => s.classes.reduce((n, c) => n + c.n, 0);
    for (const set of sets) {
      byDataset.set(set.name, { mean: estimate.get(set.name) as number, ...percentileInterval(replicates.get(set.name) as Float64Array, 0.95), level: 0.95, seeds, items: items(set) });
    }
    // An aggregate is the mean over its sets, as the stored aggregates are; only where every set of the group has items.
    for (const aggregate of aggregateSets) {
      const members = data.evaluationSets.filter((s) => aggregate.group === 'all' || s.group === aggregate.group);
      const present = sets.filter((s) => members.some((m) => m.name === s.name));
      if (members.length === 0 || present.length !== members.length) continue;
      const combined = new Float64Array(iterations);
      for (const s of present) {
        const values = replicates.get(s.name) as Float64Array;
        for (let r = 0; r < iterations; r++) combined[r] = (combined[r] as number) + (values[r] as number) / present.length;
      }
      const mean = present.reduce((t, s) => t + (estimate.get(s.name) as number), 0) / present.length;
      byDataset.set(aggregate.key, { mean, ...percentileInterval(combined, 0.95), level: 0.95, seeds, items: present.reduce((n, s) => n + items(s), 0) });
    }
    out.set(configuration.key, byDataset);
  }
  return out;
}

/** The metric of each listed seed on the set (resampled with the classes' current counts, or on all items), averaged. */
function meanOverSeeds(set: SetData, seeds: number[], compute: ReturnType<typeof resolveMetric>, resample: boolean): number {
  const [bona, spoof] = set.classes as [SetData['classes'][number], SetData['classes'][number]];
  let total = 0;
  for (const s of seeds) {
    const b = bona.seeds[s] as { values: Float64Array; order: Uint32Array };
    const p = spoof.seeds[s] as { values: Float64Array; order: Uint32Array };
    if (resample) {
      expandSorted(b.values, b.order, bona.counts, bona.out);
      expandSorted(p.values, p.order, spoof.counts, spoof.out);
      total += compute({ bonafide: bona.out, spoof: spoof.out });
    } else {
      total += compute({ bonafide: sortedCopy(b), spoof: sortedCopy(p) });
    }
  }
  return total / seeds.length;
}

function sortedCopy(c: { values: Float64Array; order: Uint32Array }): Float64Array {
  return Float64Array.from(c.order, (i) => c.values[i] as number);
}

/** The configuration's sets where every finished seed has per-item scores, aligned on the items all of them scored. */
async function setsOf(configuration: Configuration, data: ReportData, source: ItemScoreSource): Promise<SetData[]> {
  const trials = configuration.trials.filter((t) => t.state === 'done' && data.scores.has(t.id));
  if (trials.length === 0) return [];
  const sets: SetData[] = [];
  for (const set of data.evaluationSets) {
    const scored = await Promise.all(trials.map((t) => source(t.id, set.name)));
    if (scored.some((s) => s === null)) continue;
    const maps = scored.map((s) => {
      const m = new Map<string, { score: number; bonafide: number }>();
      s?.ids.forEach((id, i) => m.set(id, { score: Number(s.scores[i]), bonafide: Number(s.bonafide[i]) }));
      return m;
    });
    const first = maps[0] as Map<string, { score: number; bonafide: number }>;
    const shared = [...first.keys()].filter((id) => maps.every((m) => m.has(id)));
    const classes = [1, 0].map((label) => {
      const ids = shared.filter((id) => first.get(id)?.bonafide === label);
      return {
        n: ids.length,
        seeds: maps.map((m) => {
          const values = Float64Array.from(ids, (id) => m.get(id)?.score as number);
          return { values, order: Uint32Array.from(values.keys()).sort((i, j) => (values[i] as number) - (values[j] as number)) };
        }),
        counts: new Uint32Array(ids.length),
        out: new Float64Array(ids.length),
      };
    });
    if (classes.some((c) => c.n === 0)) continue;
    sets.push({ name: set.name, group: set.group, classes });
  }
  return sets;
}
