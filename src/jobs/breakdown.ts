import type { DatasetItem } from '../data/item.js';
import { itemColumn } from '../data/item-columns.js';

/** One value of a breakdown column within an evaluation set: which of its items it scores. */
export interface BreakdownSubset {
  column: string;
  value: string;
  /** Indices into the set's items (and scores). */
  indices: number[];
}

/**
 * The subsets of an evaluation set per value of each breakdown column. A value only spoofed
 * items carry (an attack, a generator) is scored against all the set's bona fide items, as
 * the ASVspoof per-attack EERs are; a value bona fide items carry too (a source, a codec)
 * is scored on its own items of both classes. Values with only one class are left out
 * (no EER exists there).
 */
export function breakdownSubsets(items: readonly DatasetItem[], columns: readonly string[]): BreakdownSubset[] {
  const bonafide = items.flatMap((item, i) => (item.label === 'bonafide' ? [i] : []));
  const out: BreakdownSubset[] = [];
  for (const column of columns) {
    const byValue = new Map<string, { bonafide: number[]; spoof: number[] }>();
    items.forEach((item, i) => {
      const value = itemColumn(item, column);
      if (value === undefined) return;
      let entry = byValue.get(value);
      if (!entry) byValue.set(value, (entry = { bonafide: [], spoof: [] }));
      (item.label === 'bonafide' ? entry.bonafide : entry.spoof).push(i);
    });
    for (const [value, entry] of [...byValue].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const indices = entry.bonafide.length > 0 ? [...entry.bonafide, ...entry.spoof].sort((a, b) => a - b) : [...bonafide, ...entry.spoof].sort((a, b) => a - b);
      const hasBoth = indices.some((i) => items[i]?.label === 'bonafide') && indices.some((i) => items[i]?.label === 'spoof');
      if (hasBoth) out.push({ column, value, indices });
    }
  }
  return out;
}
