import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { readScoreFile } from '../../metrics/files/read-scores.js';
import type { Db } from '../../store/index.js';
import { itemsFor, type JobData } from '../../data/selection/job-items.js';
import type { ItemScores, ItemScoreSource } from './item-pairs.js';

/**
 * Per-item scores from the store: the score file the trial's evaluation wrote for the set
 * (artifact `scores/<set>`, ASVspoof 5 TSV) and the set's labels from its dataset adapter,
 * as the evaluation read them. Null where the file or the dataset is gone (a store copied
 * without its job folders, a dataset moved): the comparison then pairs by set only.
 */
export function storeItemScores(db: Db, results: string): ItemScoreSource {
  const artifact = db.prepare('SELECT a.path, t.config FROM trials t JOIN artifacts a ON a.job_key = t.result_job WHERE t.id = ? AND a.name = ?');
  const labels = new Map<string, Promise<Map<string, number> | null>>();
  return async (trialId: string, dataset: string): Promise<ItemScores | null> => {
    const row = artifact.get(trialId, `scores/${dataset}`) as { path: string; config: string } | undefined;
    if (!row) return null;
    const path = isAbsolute(row.path) ? row.path : join(results, row.path);
    if (!existsSync(path)) return null;
    const data = (JSON.parse(row.config) as { data: JobData }).data;
    const key = `${JSON.stringify(data.datasets)}\u0000${dataset}`;
    let byId = labels.get(key);
    if (!byId) {
      byId = itemsFor(data, [dataset], 'eval', results).then(
        (items) => new Map(items.map((item) => [item.id, item.label === 'bonafide' ? 1 : 0])),
        () => null,
      );
      labels.set(key, byId);
    }
    const known = await byId;
    if (!known) return null;
    let file;
    try {
      file = readScoreFile(path);
    } catch {
      return null;
    }
    const kept = file.ids.flatMap((id, i) => (known.has(id) ? [i] : []));
    return { ids: kept.map((i) => file.ids[i] as string), scores: kept.map((i) => file.scores[i] as number), bonafide: kept.map((i) => known.get(file.ids[i] as string) as number) };
  };
}
