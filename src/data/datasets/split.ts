import type { DatasetItem, Split } from '../item.js';
import { Rng } from '../../util/rng.js';
import type { DatasetContext } from './context.js';

export type UnsplitItem = Omit<DatasetItem, 'split'>;

export interface SeededSplitOptions {
  seed: number;
  /** Fractions of train, dev and eval; they sum to 1. */
  fractions: readonly [number, number, number];
  /** `speaker`: whole speakers go to one split (speaker-disjoint); `item`: items are split independently. */
  groupBy: 'item' | 'speaker';
}

const splitOrder: readonly Split[] = ['train', 'dev', 'eval'];

/**
 * A seeded split for corpora without an official one (In-the-Wild, LJSpeech, VCTK, MLAAD,
 * manifests without a split column). Stratified: each stratum (label by default) is split
 * with the same fractions, so class balance is the same in every split. The result depends
 * only on the seed, the salt and the item ids, never on the input order or on other strata.
 */
export function seededSplit(
  items: readonly UnsplitItem[],
  options: SeededSplitOptions,
  salt: string,
  stratumOf: (item: UnsplitItem) => string = (item) => item.label,
): DatasetItem[] {
  const strata = new Map<string, UnsplitItem[]>();
  for (const item of items) {
    const key = stratumOf(item);
    const list = strata.get(key) ?? [];
    list.push(item);
    strata.set(key, list);
  }
  const splitOf = new Map<UnsplitItem, Split>();
  for (const [stratum, members] of strata) {
    const rng = Rng.fromLabels('dataset-split', salt, options.seed, stratum);
    const groups = groupsOf(members, options.groupBy);
    rng.shuffle(groups);
    assignGroups(groups, options.fractions, splitOf);
  }
  return items.map((item) => ({ ...item, split: splitOf.get(item) as Split }));
}

/** Groups sorted by key, so the shuffle starts from the same order whatever the input order. */
function groupsOf(members: UnsplitItem[], groupBy: 'item' | 'speaker'): UnsplitItem[][] {
  const byKey = new Map<string, UnsplitItem[]>();
  for (const item of members) {
    const key = groupBy === 'speaker' && item.speaker !== undefined ? `speaker:${item.speaker}` : `item:${item.id}`;
    const list = byKey.get(key) ?? [];
    list.push(item);
    byKey.set(key, list);
  }
  return [...byKey.keys()].sort().map((key) => byKey.get(key) as UnsplitItem[]);
}

/**
 * Walk the shuffled groups and close each split once its cumulative share of items is
 * reached (rounded), so with one item per group the counts are round(n * cumulative fraction).
 */
function assignGroups(groups: UnsplitItem[][], fractions: readonly number[], splitOf: Map<UnsplitItem, Split>): void {
  const total = groups.reduce((n, g) => n + g.length, 0);
  const bounds: number[] = [];
  let cumulative = 0;
  for (const fraction of fractions) {
    cumulative += fraction;
    bounds.push(Math.round(total * cumulative));
  }
  let assigned = 0;
  let splitIndex = 0;
  for (const group of groups) {
    while (splitIndex < bounds.length - 1 && assigned >= (bounds[splitIndex] as number)) splitIndex++;
    for (const item of group) splitOf.set(item, splitOrder[splitIndex] as Split);
    assigned += group.length;
  }
}

/** Split options from validated adapter options (defaults already filled by the schema). */
export function splitOptionsOf(ctx: DatasetContext): SeededSplitOptions {
  const fractions = ctx.option<number[]>('fractions');
  const sum = fractions.reduce((a, b) => a + b, 0);
  if (fractions.length !== 3 || Math.abs(sum - 1) > 1e-6) {
    throw ctx.error(`options.fractions must be three numbers [train, dev, eval] that sum to 1 (got ${JSON.stringify(fractions)}, sum ${sum}).`);
  }
  return {
    seed: ctx.option<number>('seed'),
    fractions: fractions as unknown as readonly [number, number, number],
    groupBy: ctx.option<'item' | 'speaker'>('groupBy'),
  };
}
