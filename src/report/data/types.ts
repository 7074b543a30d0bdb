import type { Json } from '../../search/paths.js';
import type { ExpertMetricRow, GateWeightRow, TrialState } from '../../store/index.js';
import type { SweepStatus } from '../../status/sweep-status.js';

/** One trial of the sweep as the report sees it. */
export interface ReportTrial {
  id: string;
  kind: string;
  state: TrialState;
  /** The sweep's varying parameters of this trial (as stored in sweep_trials.params). */
  params: Record<string, Json>;
  /** Every field of the trial's config, flattened (dotted paths plus derived fields), for filters. */
  view: Record<string, Json>;
  seed: number;
  /** Key of the configuration the trial repeats (its params without the seed). */
  configuration: string;
}

/**
 * A configuration: the trials that differ only in their seed. Seeds are the repetitions
 * that means and intervals are computed over.
 */
export interface Configuration {
  key: string;
  /** Short readable label, e.g. "moe mlp top-1 separate". */
  label: string;
  /** The label's words before collisions are spelled out ("no pretrain" is one word). */
  words: string[];
  /** Stable file-name part, e.g. "moe-mlp-top-1-separate". */
  slug: string;
  kind: string;
  /** Varying parameters without the seed. */
  params: Record<string, Json>;
  trials: ReportTrial[];
}

export interface EvaluationSet {
  name: string;
  group: 'known' | 'unknown';
}

/**
 * The aggregate rows of the store and how the report names them: `label` in figures,
 * `heading` in tables, where a set may itself be called "known" and a group mean must not
 * look like it (issue 16).
 */
export const aggregateSets = [
  { key: '__known__', label: 'Known', heading: 'known (mean)', group: 'known' },
  { key: '__unknown__', label: 'Unknown', heading: 'unknown (mean)', group: 'unknown' },
  { key: '__all__', label: 'All', heading: 'all (mean)', group: 'all' },
] as const;

/** A table heading of a named evaluation group's mean (`data.evaluate.groups`). */
export function groupHeading(name: string): string {
  return `${name} (mean)`;
}

/** One value of a breakdown column within an evaluation set, and its row in the scores. */
export interface BreakdownEntry {
  set: string;
  value: string;
  /** The key of its metrics in `TrialScores`. */
  dataset: string;
}
export type AggregateKey = (typeof aggregateSets)[number]['key'];

/** dataset (an evaluation set or an aggregate key) -> metric -> value. */
export type TrialScores = Map<string, Record<string, number>>;

/** A swept factor for main effects: a varying parameter other than the seed. */
export interface Factor {
  path: string;
  levels: Json[];
}

export interface EpochPoint {
  trialId: string;
  /** What was trained: "mixture", or "pretrain lcnn/mel". */
  role: string;
  epoch: number;
  name: string;
  value: number;
}

export interface ReportData {
  sweep: { name: string; file: string; description: string | null };
  status: SweepStatus;
  progress: { done: number; total: number };
  factors: Factor[];
  trials: ReportTrial[];
  configurations: Configuration[];
  evaluationSets: EvaluationSet[];
  /** Scores of finished trials, with known/unknown/all aggregates filled in where the store lacks them. */
  scores: Map<string, TrialScores>;
  gateWeights: GateWeightRow[];
  /**
   * Mean gate weight per item group (bona fide, then each attack), pooled over the trial's
   * evaluation sets, in `dataset` (src/report/data/item-gating.ts); absent where the report
   * was built without the results folder's per-item gate files.
   */
  groupGates?: GateWeightRow[];
  /** Each expert's own metrics inside the finished mixtures. */
  expertMetrics: ExpertMetricRow[];
  epochs: EpochPoint[];
  /** Named evaluation groups (`data.evaluate.groups`) that have stored rows, in the sweep's order. */
  evaluationGroups?: string[];
  /** Breakdown column -> its (set, value) rows, sets in the report's order (`data.evaluate.breakdown`). */
  breakdowns?: Map<string, BreakdownEntry[]>;
}
