import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildSyntheticStore, writeSyntheticSweep, type SyntheticSweepOptions } from '../../fixtures/report/synthetic-store.js';

export interface FixtureStore {
  dir: string;
  results: string;
  sweepFile: string;
  sweep: string;
  trials: number;
  done: number;
  remove(): void;
}

/** A synthetic store in a fresh temp folder (for beforeAll; call remove() in afterAll). */
export function fixtureStore(options: { doneTrials?: number; dropSomeAggregates?: boolean } & SyntheticSweepOptions = {}): FixtureStore {
  const dir = mkdtempSync(join(tmpdir(), 'ablate-report-'));
  const results = join(dir, 'results');
  const sweepFile = writeSyntheticSweep(dir, options);
  const built = buildSyntheticStore({ results, sweepFile, doneTrials: options.doneTrials, dropSomeAggregates: options.dropSomeAggregates ?? true });
  return {
    dir,
    results,
    sweepFile,
    sweep: built.plan.space.name,
    trials: built.trials,
    done: built.done,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface StoredTrial {
  params: Record<string, unknown>;
  /** params without the seed, as canonical-ish JSON (keys in stored order). */
  configuration: string;
  kind: string;
  done: boolean;
  scores: Map<string, Record<string, number>>;
  gates: Array<{ dataset: string; expert: number; label: string; weight: number; selected: number | null }>;
}

/** The sweep's trials and their stored results read straight from SQLite, independent of the report code. */
export function storedTrials(results: string, sweep: string): StoredTrial[] {
  const db = new Database(join(results, 'ablate.db'), { readonly: true });
  try {
    const trials = db
      .prepare(
        `SELECT t.id, t.kind, st.params, j.state FROM sweep_trials st JOIN trials t ON t.id = st.trial_id JOIN jobs j ON j.key = t.result_job
         WHERE st.sweep = ? ORDER BY st.position`,
      )
      .all(sweep) as Array<{ id: string; kind: string; params: string; state: string }>;
    const scores = db.prepare('SELECT s.dataset, s.metric, s.value FROM trials t JOIN scores s ON s.job_key = t.result_job WHERE t.id = ?');
    const gates = db.prepare('SELECT g.dataset, g.expert, g.expert_label, g.mean_weight, g.selected_fraction FROM trials t JOIN gate_weights g ON g.job_key = t.result_job WHERE t.id = ?');
    return trials.map((t) => {
      const params = JSON.parse(t.params) as Record<string, unknown>;
      const { seed: _seed, ...rest } = params;
      const byDataset = new Map<string, Record<string, number>>();
      for (const s of scores.all(t.id) as Array<{ dataset: string; metric: string; value: number }>) {
        byDataset.set(s.dataset, { ...(byDataset.get(s.dataset) ?? {}), [s.metric]: s.value });
      }
      return {
        params,
        configuration: JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))),
        kind: t.kind,
        done: t.state === 'done',
        scores: byDataset,
        gates: (gates.all(t.id) as Array<{ dataset: string; expert: number; expert_label: string; mean_weight: number; selected_fraction: number | null }>).map((g) => ({
          dataset: g.dataset,
          expert: g.expert,
          label: g.expert_label,
          weight: g.mean_weight,
          selected: g.selected_fraction,
        })),
      };
    });
  } finally {
    db.close();
  }
}

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

export const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
