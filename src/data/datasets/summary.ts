import type { DatasetItem, Label, Split } from '../item.js';

export interface DatasetSummaryRow {
  domain: string;
  split: Split;
  bonafide: number;
  spoof: number;
}

/** Item counts per domain and split, by label (for `ablate data list` and logs). */
export function summarise(items: readonly DatasetItem[]): DatasetSummaryRow[] {
  const rows = new Map<string, DatasetSummaryRow>();
  for (const item of items) {
    const key = `${item.domain}\u0000${item.split}`;
    let row = rows.get(key);
    if (row === undefined) {
      row = { domain: item.domain, split: item.split, bonafide: 0, spoof: 0 };
      rows.set(key, row);
    }
    row[item.label satisfies Label]++;
  }
  const order: Record<Split, number> = { train: 0, dev: 1, eval: 2 };
  return [...rows.values()].sort((a, b) => (a.domain === b.domain ? order[a.split] - order[b.split] : a.domain < b.domain ? -1 : 1));
}
