/**
 * The records a job returns to whoever runs the sweep: its artefacts, scores, gate weights,
 * per-expert metrics, epochs and skipped files. The store writes them; worker threads and
 * external trainers produce them without ever opening the database.
 */

/** A file a job wrote (atomically) under the results folder, content-addressed by its hash. */
export interface ArtifactRecord {
  name: string;
  /** Relative to the results folder. */
  path: string;
  size: number;
  sha256: string;
}

export interface DatasetScore {
  /** An evaluation set (selector), or `__known__`, `__unknown__`, `__all__` for aggregates. */
  dataset: string;
  group: 'known' | 'unknown' | 'aggregate';
  metrics: Record<string, number | null>;
}

export interface GateWeightRecord {
  dataset: string;
  expert: number;
  label: string;
  meanWeight: number;
  selectedFraction?: number | null;
}

/** One expert's own metrics on an evaluation set, inside a trained mixture. */
export interface ExpertMetricRecord {
  dataset: string;
  expert: number;
  label: string;
  metrics: Record<string, number | null>;
}

/** What a finished job hands the main thread to store. */
export interface JobResult {
  artifacts: ArtifactRecord[];
  scores?: DatasetScore[];
  gateWeights?: GateWeightRecord[];
  /** Mixtures: each expert's own EER, AUC... per evaluation set. */
  expertMetrics?: ExpertMetricRecord[];
  summary?: Record<string, unknown>;
  /** Backend the job ran on (recorded on its attempt). */
  backend?: string;
  /**
   * Every epoch's metrics, the resumed ones included (jobs keep them in their checkpoint).
   * Epochs also stream in while the job runs, but a message in flight is lost when the
   * process dies, so the finished job's history is what makes the record complete.
   */
  epochs?: EpochMetrics[];
  /** Audio files left out under a dataset's `onBadFile: "skip"` (logged as a files-skipped event). */
  skippedFiles?: SkippedFiles[];
}

/** The unusable files one data set lost: how many, and the first few with the reason. */
export interface SkippedFiles {
  /** The selector, e.g. synth:d1. */
  set: string;
  split: string;
  /** Items the set lists, and how many of them were left out. */
  total: number;
  count: number;
  examples: Array<{ path: string; reason: string }>;
}

export interface EpochMetrics {
  stage: string;
  epoch: number;
  metrics: Record<string, number | null>;
}
