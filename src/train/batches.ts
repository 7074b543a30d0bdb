import * as tf from '@tensorflow/tfjs';
import { deriveSeed, Rng } from '../util/rng.js';

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
  /** Class-balanced batches (default true); false: one seeded shuffled pass, wrapping around. */
  balanced?: boolean;
  /**
   * Class pools that persist across epochs (`training.classPools: persistent`): the pools
   * are drawn from seeds of their own, not from the loop's rng (see persistentPoolRows).
   */
  persistentPools?: { seed: number; epoch: number };
}

/**
 * The rows of one epoch of training batches: class-balanced (balancedRowPlan) unless
 * `balanced` is false, then one seeded shuffle of all rows cut into batches (the last
 * wrapping round to the start). The PyTorch trainer's batch_plan draws the same rows.
 */
export function trainingRowPlan(labels: ArrayLike<number>, rng: Rng, options: BalancedBatchOptions): number[][] {
  if (options.balanced !== false) return balancedRowPlan(labels, rng, options);
  checkBatchSize(options.batchSize);
  const count = labels.length;
  const size = options.batchSize;
  const steps = stepsOf(count, options);
  const order = rng.shuffle(Array.from({ length: count }, (_, row) => row));
  return Array.from({ length: steps }, (_, step) => Array.from({ length: size }, (_, i) => order[(step * size + i) % count] as number));
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 2) throw new Error(`batch size must be an integer >= 2, got ${batchSize}`);
}

function stepsOf(count: number, options: BalancedBatchOptions): number {
  return options.stepsPerEpoch ?? Math.max(1, Math.ceil(count / options.batchSize));
}

/**
 * The rows of one epoch of class-balanced batches (the authors' recipe): each batch is half
 * bona fide, half spoof (the odd one out spoof), each class drawn in a fresh seeded
 * shuffle that restarts when used up, so the minority class is repeated rather than the
 * majority cut. Drawn up front and from `rng` alone (labels 1 = bona fide), so a
 * checkpointed rng state replays the same batches and the rng ends the epoch in the same
 * state even when the batches are abandoned half way. With `persistentPools` each class's
 * pool carries on where the last epoch left it instead.
 */
export function balancedRowPlan(labels: ArrayLike<number>, rng: Rng, options: BalancedBatchOptions): number[][] {
  const count = labels.length;
  const bonafide: number[] = [];
  const spoof: number[] = [];
  for (let row = 0; row < count; row++) (labels[row] === 1 ? bonafide : spoof).push(row);
  if (bonafide.length === 0 || spoof.length === 0) {
    throw new Error(`class-balanced batches need both classes; the data has ${bonafide.length} bona fide and ${spoof.length} spoof items`);
  }
  checkBatchSize(options.batchSize);
  const steps = stepsOf(count, options);
  const half = Math.floor(options.batchSize / 2);
  let takeBonafide: () => number;
  let takeSpoof: () => number;
  if (options.persistentPools !== undefined) {
    const { seed, epoch } = options.persistentPools;
    takeBonafide = persistentPoolRows(bonafide, deriveSeed(seed, 'class-pool', 'bonafide'), epoch * steps * half);
    takeSpoof = persistentPoolRows(spoof, deriveSeed(seed, 'class-pool', 'spoof'), epoch * steps * (options.batchSize - half));
  } else {
    const bonafideCycle = new ShuffledCycle(bonafide, rng);
    const spoofCycle = new ShuffledCycle(spoof, rng);
    takeBonafide = () => bonafideCycle.take();
    takeSpoof = () => spoofCycle.take();
  }
  const plan: number[][] = [];
  for (let step = 0; step < steps; step++) {
    const rows: number[] = [];
    for (let i = 0; i < half; i++) rows.push(takeBonafide());
    for (let i = half; i < options.batchSize; i++) rows.push(takeSpoof());
    plan.push(rows);
  }
  return plan;
}

/**
 * A class pool that lives across epochs: its k-th refill is a permutation of the class's
 * rows seeded by (seed, k), and epoch e starts at the draw where epoch e - 1 stopped
 * (every epoch draws the same number). So the pool's state is a function of the epoch
 * alone: nothing more to checkpoint, and a resumed job draws what an uninterrupted one would.
 */
function persistentPoolRows(rows: number[], seed: number, firstDraw: number): () => number {
  let draw = firstDraw;
  let refill = -1;
  let order: number[] = [];
  return () => {
    const k = Math.floor(draw / rows.length);
    if (k !== refill) {
      order = new Rng(deriveSeed(seed, k)).shuffle([...rows]);
      refill = k;
    }
    return order[draw++ % rows.length] as number;
  };
}

/** One epoch of training batches of one input (see trainingRowPlan). */
export function* balancedBatches(data: LabelledArray, rng: Rng, options: BalancedBatchOptions): Generator<Batch> {
  countItems(data);
  for (const rows of trainingRowPlan(data.labels, rng, options)) yield batchOf(data, rows);
}

/** Fixed, in-order batches for evaluation. */
export function* sequentialRows(count: number, batchSize: number): Generator<number[]> {
  for (let start = 0; start < count; start += batchSize) {
    yield Array.from({ length: Math.min(batchSize, count - start) }, (_, i) => start + i);
  }
}

/** The batching settings of a training stage (src/jobs/hyper.ts fills them from the sweep). */
export interface BatchHyperParams {
  batchSize: number;
  /** Steps per epoch; default: as many items as the training set has. */
  stepsPerEpoch?: number;
  /** Class-balanced batches (default true). */
  balanced?: boolean;
  /** Balanced batches: class pools restart every epoch (default) or persist across epochs. */
  classPools?: 'epoch' | 'persistent';
}

/** One epoch's batch options from a stage's settings; `seed` is the loop's (persistent pools draw from it). */
export function epochBatchOptions(hp: BatchHyperParams, seed: number, epoch: number): BalancedBatchOptions {
  return {
    batchSize: hp.batchSize,
    ...(hp.stepsPerEpoch !== undefined ? { stepsPerEpoch: hp.stepsPerEpoch } : {}),
    ...(hp.balanced === false ? { balanced: false } : {}),
    ...(hp.classPools === 'persistent' ? { persistentPools: { seed, epoch } } : {}),
  };
}
