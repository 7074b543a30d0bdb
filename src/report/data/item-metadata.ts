import { itemsFor, type JobData } from '../../data/selection/job-items.js';

/** What the gating analysis groups an evaluation item by. */
export interface ItemMetadata {
  bonafide: boolean;
  /** The item's value in the grouping column (`attack` by default); undefined where it has none. */
  group: string | undefined;
}

/**
 * Every item of an evaluation set with its class and grouping value, from the set's dataset
 * adapter as the evaluation read it (a CSV manifest's `attack` column, ASVspoof's attack
 * ids, the embedded corpus's families), keyed by item id. The one place the gating analysis
 * reads item metadata: a breakdown by another column (`meta`) goes through here too.
 */
export async function itemMetadata(data: JobData, set: string, results: string, column = 'attack'): Promise<Map<string, ItemMetadata>> {
  const items = await itemsFor(data, [set], 'eval', results);
  return new Map(
    items.map((item) => {
      const value = column === 'attack' ? item.attack : column === 'domain' ? item.domain : item.meta?.[column];
      return [item.id, { bonafide: item.label === 'bonafide', group: value === '' ? undefined : value }];
    }),
  );
}
