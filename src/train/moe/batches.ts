import type { Rng } from '../../util/rng.js';
import { type MoeBatch, type MultiInputData, countMultiItems, multiBatchOf } from './data.js';

export interface BalancedPlanOptions {
  batchSize: number;
  /** Steps in one epoch; default: enough batches to show as many items as the data has. */
  stepsPerEpoch?: number;
}

/** Endless shuffled passes over row numbers, reshuffled from `rng` at each pass. */
class ShuffledCycle {
  private order: number[] = [];
  private next = 0;
  constructor(
    private readonly rows: number[],
    private readonly rng: Rng,
  ) {}
  take(): number {
    if (this.next >= this.order.length) {
      this.order = this.rng.shuffle([...this.rows]);
      this.next = 0;
    }
    return this.order[this.next++] as number;
  }
}

/**
 * The rows of one epoch of class-balanced batches: half bona fide, half spoof (the odd one
 * out spoof), each class in a fresh seeded shuffle that restarts when used up. The same
 * draws, in the same order, as src/train/batches.ts balancedBatches (copied because that
 * module keeps its row plan private), so a one-input mixture sees the batches its experts'
 * pre-training would. Depends on the labels and `rng` only: the cached and the recomputing
 * gate trainers draw identical batches.
 */
export function balancedRowPlan(labels: ArrayLike<number>, rng: Rng, options: BalancedPlanOptions): number[][] {
  const count = labels.length;
  const bonafide: number[] = [];
  const spoof: number[] = [];
  for (let row = 0; row < count; row++) (labels[row] === 1 ? bonafide : spoof).push(row);
  if (bonafide.length === 0 || spoof.length === 0) {
    throw new Error(`class-balanced batches need both classes; the data has ${bonafide.length} bona fide and ${spoof.length} spoof items`);
  }
  if (!Number.isInteger(options.batchSize) || options.batchSize < 2) throw new Error(`batch size must be an integer >= 2, got ${options.batchSize}`);
  const steps = options.stepsPerEpoch ?? Math.max(1, Math.ceil(count / options.batchSize));
  const bonafideCycle = new ShuffledCycle(bonafide, rng);
  const spoofCycle = new ShuffledCycle(spoof, rng);
  const half = Math.floor(options.batchSize / 2);
  const plan: number[][] = [];
  for (let step = 0; step < steps; step++) {
    const rows: number[] = [];
    for (let i = 0; i < half; i++) rows.push(bonafideCycle.take());
    for (let i = half; i < options.batchSize; i++) rows.push(spoofCycle.take());
    plan.push(rows);
  }
  return plan;
}

/**
 * One epoch of class-balanced batches over several inputs. The whole epoch's rows are
 * drawn up front, so the rng ends the epoch in the same state even if the generator is
 * abandoned half way (an aborted step).
 */
export function* balancedMultiBatches(data: MultiInputData, rng: Rng, options: BalancedPlanOptions): Generator<MoeBatch> {
  countMultiItems(data);
  for (const rows of balancedRowPlan(data.labels, rng, options)) yield multiBatchOf(data, rows);
}
