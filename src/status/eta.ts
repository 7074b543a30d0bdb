import type { JobKind } from '../search/index.js';

/**
 * Time left in a sweep. Measured durations are the best guide, but each job kind has one
 * only once a job of it has finished, and evaluation jobs finish last: an ETA that waits
 * for them says "?" for most of a run's first quarter. Until then the plan's job sizes
 * stand in: a job's work in expert-epochs (one expert through one epoch of its training
 * data), which fixes how jobs compare, and one measured rate (seconds per expert-epoch,
 * from finished jobs or from the epochs running jobs have already done) turns work into
 * seconds.
 */

/** A job as the estimate sees it: kind and planned inputs. */
export interface SizedJob {
  kind: JobKind | string;
  inputs: Record<string, unknown>;
}

/**
 * One forward pass costs about a third of a training step (forward plus a backward pass
 * of about twice its cost), and evaluation runs each expert once over the evaluation
 * sets, which are no larger than the training data; so an evaluation weighs a third of an
 * epoch per expert. Feature extraction is plain DSP over the corpus, far cheaper than
 * training, and is counted as no work (its jobs finish in seconds and then have a
 * measured duration anyway).
 */
const evaluationEpochsPerExpert = 1 / 3;

/** A job's planned work in expert-epochs (0 for jobs that train nothing). */
export function jobWork(job: SizedJob): number {
  const inputs = job.inputs;
  switch (job.kind) {
    case 'pretrain':
      return epochsOf(inputs['hp']);
    case 'train-moe':
      return epochsOf(inputs['train']) * Math.max(1, expertCount(inputs));
    case 'evaluate':
      return evaluationEpochsPerExpert * Math.max(1, expertCount(inputs));
    default:
      return 0;
  }
}

function epochsOf(section: unknown): number {
  const epochs = (section as { epochs?: unknown } | undefined)?.epochs;
  return typeof epochs === 'number' && epochs > 0 ? epochs : 1;
}

function expertCount(inputs: Record<string, unknown>): number {
  const experts = inputs['experts'];
  return Array.isArray(experts) ? experts.length : 1;
}

/** A job that has already run part of its epochs (from its latest progress report). */
export interface PartialJob extends SizedJob {
  seconds: number;
  epoch?: number;
  epochs?: number;
}

/** Measured training: seconds spent on finished jobs and their work in expert-epochs. */
export interface Measured {
  seconds: number;
  work: number;
}

/** Adds a finished job to the measured totals (jobs that train nothing say nothing about the rate). */
export function addMeasured(measured: Measured, job: SizedJob, seconds: number): void {
  const work = jobWork(job);
  if (work > 0 && seconds > 0) {
    measured.seconds += seconds;
    measured.work += work;
  }
}

/**
 * Seconds per expert-epoch: from finished jobs that trained, else from running ones that
 * have finished at least one epoch (their elapsed time over the share of their work done,
 * which counts loading as training and so errs long). Null when nothing has been measured.
 */
export function secondsPerWork(finished: Measured, running: PartialJob[]): number | null {
  if (finished.work > 0) return finished.seconds / finished.work;
  const partial: Measured = { seconds: 0, work: 0 };
  for (const job of running) {
    if (!job.epoch || !job.epochs || job.epoch < 2) continue;
    const work = jobWork(job) * Math.min(1, (job.epoch - 1) / job.epochs);
    if (work > 0 && job.seconds > 0) {
      partial.seconds += job.seconds;
      partial.work += work;
    }
  }
  return partial.work > 0 ? partial.seconds / partial.work : null;
}

/** What is left of one job kind: how many jobs, and their work in expert-epochs. */
export interface KindLeft {
  count: number;
  work: number;
}

/** Adds a job to the per-kind totals of what is left. */
export function addLeft(left: Map<string, KindLeft>, job: SizedJob, sign: 1 | -1 = 1): void {
  const totals = left.get(job.kind) ?? { count: 0, work: 0 };
  totals.count += sign;
  totals.work += sign * jobWork(job);
  left.set(job.kind, totals);
}

/**
 * Seconds until what is left is done, spread over `parallel` workers: each kind at its
 * measured mean duration where there is one, else its work at the measured rate. Null
 * when some kind with work left has neither.
 */
export function estimateSeconds(left: Map<string, KindLeft>, meanSecondsByKind: Record<string, number | undefined>, rate: number | null, parallel: number): number | null {
  let total = 0;
  for (const [kind, { count, work }] of left) {
    if (count <= 0) continue;
    const mean = meanSecondsByKind[kind];
    if (mean !== undefined) total += count * mean;
    else if (work > 0) {
      if (rate === null) return null;
      total += work * rate;
    }
  }
  return total / Math.max(1, parallel);
}
