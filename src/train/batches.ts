import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng.js';

/** Items of one shape in one flat array, with labels (1 = bona fide, 0 = spoof). */
export interface LabelledArray {
  /** Row-major [count, ...itemShape]. */
  x: Float32Array;
  itemShape: number[];
  labels: ArrayLike<number>;
}

export interface Batch {
  /** [batch, ...itemShape] */
  x: tf.Tensor;
  /** int32 [batch], 1 = bona fide */
  labels: tf.Tensor1D;
}

export function itemSize(itemShape: number[]): number {
  return itemShape.reduce((product, dim) => product * dim, 1);
}

export function countItems(data: LabelledArray): number {
  const size = itemSize(data.itemShape);
  if (data.x.length % size !== 0) throw new Error(`data of ${data.x.length} values is not a whole number of [${data.itemShape.join(', ')}] items`);
  const count = data.x.length / size;
  if (data.labels.length !== count) throw new Error(`${count} items but ${data.labels.length} labels`);
  return count;
}

/** Copy the given rows into one tensor. Rows are copied in JS, not gathered on the backend. */
export function batchOf(data: LabelledArray, rows: ArrayLike<number>): Batch {
  const size = itemSize(data.itemShape);
  const values = new Float32Array(rows.length * size);
  const labels = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] ?? 0;
    values.set(data.x.subarray(row * size, (row + 1) * size), i * size);
    labels[i] = data.labels[row] === 1 ? 1 : 0;
  }
  return { x: tf.tensor(values, [rows.length, ...data.itemShape]), labels: tf.tensor1d(labels, 'int32') };
}

/** Endless shuffled passes over a set of row numbers: reshuffles (from `rng`) at each pass. */
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

export interface BalancedBatchOptions {
  batchSize: number;
  /** Steps in one epoch; default: enough batches to show as many items as the data has. */
  stepsPerEpoch?: number;
}

/**
 * The rows of one epoch of class-balanced batches (the authors' recipe): each batch is half
 * bona fide, half spoof (the odd one out spoof), each class drawn in a fresh seeded
 * shuffle that restarts when used up, so the minority class is repeated rather than the
 * majority cut. Drawn up front and from `rng` alone (labels 1 = bona fide), so a
 * checkpointed rng state replays the same batches and the rng ends the epoch in the same
 * state even when the batches are abandoned half way.
 */
export function balancedRowPlan(labels: ArrayLike<number>, rng: Rng, options: BalancedBatchOptions): number[][] {
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

/** One epoch of class-balanced batches of one input (see balancedRowPlan). */
export function* balancedBatches(data: LabelledArray, rng: Rng, options: BalancedBatchOptions): Generator<Batch> {
  countItems(data);
  for (const rows of balancedRowPlan(data.labels, rng, options)) yield batchOf(data, rows);
}

/** Fixed, in-order batches for evaluation. */
export function* sequentialRows(count: number, batchSize: number): Generator<number[]> {
  for (let start = 0; start < count; start += batchSize) {
    yield Array.from({ length: Math.min(batchSize, count - start) }, (_, i) => start + i);
  }
}
