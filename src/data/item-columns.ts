import type { DatasetItem } from './item.js';

/**
 * The value of one of an item's columns, as a sweep's `data.evaluate.breakdown` names it:
 * the adapters' own fields (attack, speaker, codec, domain, dataset, label, split), else a
 * manifest's other columns (`meta`). Undefined where the item has none (bona fide items
 * usually have no attack). The report's per-attack views read items through this too.
 */
export function itemColumn(item: DatasetItem, column: string): string | undefined {
  switch (column) {
    case 'attack':
    case 'speaker':
    case 'codec':
    case 'domain':
    case 'dataset':
    case 'label':
    case 'split':
      return item[column] === undefined || item[column] === '' ? undefined : item[column];
    default:
      return item.meta?.[column];
  }
}

/** item id -> column -> value, for the columns asked for (ids are unique within a set). */
export function itemColumns(items: readonly DatasetItem[], columns: readonly string[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const item of items) {
    const values: Record<string, string> = {};
    for (const column of columns) {
      const value = itemColumn(item, column);
      if (value !== undefined) values[column] = value;
    }
    out.set(item.id, values);
  }
  return out;
}
