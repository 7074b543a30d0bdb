import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { readItemMatrix } from '../../metrics/files/item-matrix.js';
import { readScoreFile } from '../../metrics/files/read-scores.js';
import type { Db, GateWeightRow } from '../../store/index.js';
import type { JobData } from '../../data/selection/job-items.js';
import { itemMetadata, type ItemMetadata } from './item-metadata.js';
import type { ReportData } from './types.js';

/** The row of bona fide items in the per-group gating heatmaps (bona fide clips have no attack). */
export const bonafideGroup = 'bona fide';
/** Every spoofed item, whatever its attack: the per-class view beside bona fide. */
export const spoofGroup = 'spoof (all attacks)';
/** Spoofed items whose grouping column is empty. */
export const unlabelledSpoofGroup = 'spoof (no attack given)';

/**
 * Mean gate weight per (trial, item group, expert) over every evaluation item of the trial,
 * pooled across its evaluation sets: the two classes (bona fide, all spoofed items), then the
 * spoofed items of each attack.
 * Read from the per-item gate files the evaluation stored (`gates/<set>`, rows in the order
 * of `scores/<set>`) and the items' metadata; `dataset` holds the group, so the rows draw
 * with the per-set heatmap's code. Trials whose files are gone (a store copied without its
 * job folders) or older than per-item gates are left out, as is a set whose dataset moved.
 */
export async function loadGroupGating(db: Db, results: string, data: ReportData): Promise<GateWeightRow[]> {
  const artifact = db.prepare('SELECT a.path FROM trials t JOIN artifacts a ON a.job_key = t.result_job WHERE t.id = ? AND a.name = ?');
  const configOf = db.prepare('SELECT config FROM trials WHERE id = ?');
  const labelsByTrial = new Map<string, Map<number, string>>();
  for (const row of data.gateWeights) {
    const labels = labelsByTrial.get(row.trial_id) ?? new Map<number, string>();
    labels.set(row.expert, row.expert_label);
    labelsByTrial.set(row.trial_id, labels);
  }
  const metadata = new Map<string, Promise<Map<string, ItemMetadata> | null>>();
  const out: GateWeightRow[] = [];
  for (const [trialId, labels] of labelsByTrial) {
    const experts = labels.size;
    const config = JSON.parse((configOf.get(trialId) as { config: string }).config) as { data: JobData };
    const sums = new Map<string, { weight: number[]; selected: number[]; items: number }>();
    for (const set of data.evaluationSets) {
      const gates = fileOf(artifact.get(trialId, `gates/${set.name}`), results);
      const scores = fileOf(artifact.get(trialId, `scores/${set.name}`), results);
      if (gates === null || scores === null) continue;
      const key = `${JSON.stringify(config.data.datasets)}\u0000${set.name}`;
      let known = metadata.get(key);
      if (!known) {
        known = itemMetadata(config.data, set.name, results).catch(() => null);
        metadata.set(key, known);
      }
      const items = await known;
      if (!items) continue;
      const ids = readScoreFile(scores).ids;
      const weights = readItemMatrix(gates, ids.length, experts);
      ids.forEach((id, row) => {
        const item = items.get(id);
        if (!item) return;
        const groups = item.bonafide ? [bonafideGroup] : [spoofGroup, item.group ?? unlabelledSpoofGroup];
        for (const group of groups) {
          const sum = sums.get(group) ?? { weight: new Array<number>(experts).fill(0), selected: new Array<number>(experts).fill(0), items: 0 };
          for (let e = 0; e < experts; e++) {
            const w = weights[row * experts + e] as number;
            sum.weight[e] = (sum.weight[e] as number) + w;
            if (w > 0) sum.selected[e] = (sum.selected[e] as number) + 1;
          }
          sum.items++;
          sums.set(group, sum);
        }
      });
    }
    for (const group of [...sums.keys()].sort(groupOrder)) {
      const sum = sums.get(group) as { weight: number[]; selected: number[]; items: number };
      for (let e = 0; e < experts; e++) {
        out.push({
          trial_id: trialId,
          dataset: group,
          expert: e,
          expert_label: labels.get(e) as string,
          mean_weight: (sum.weight[e] as number) / sum.items,
          selected_fraction: (sum.selected[e] as number) / sum.items,
        });
      }
    }
  }
  return out;
}

/** Bona fide, all spoof, then the attacks in natural order (A2 before A10), unlabelled spoof last. */
function groupOrder(a: string, b: string): number {
  const rank = (g: string) => (g === bonafideGroup ? 0 : g === spoofGroup ? 1 : g === unlabelledSpoofGroup ? 3 : 2);
  return rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true });
}

function fileOf(row: unknown, results: string): string | null {
  if (!row) return null;
  const path = (row as { path: string }).path;
  const file = isAbsolute(path) ? path : join(results, path);
  return existsSync(file) ? file : null;
}
