import * as tf from '@tensorflow/tfjs';
import { itemSize } from '../batches.js';

/** One input representation of every item, flat, row-major [count, ...itemShape]. */
export interface InputArray {
  x: Float32Array;
  itemShape: number[];
}

/**
 * The items a mixture reads: one array per distinct input (feature config) the experts
 * use, all in the same item order, and the labels (1 = bona fide, 0 = spoof).
 */
export interface MultiInputData {
  inputs: InputArray[];
  labels: ArrayLike<number>;
}

/** A training or evaluation batch: one tensor per input, [batch, ...itemShape], and int32 labels. */
export interface MoeBatch {
  inputs: tf.Tensor[];
  labels: tf.Tensor1D;
}

/** The item count, after checking that every input holds whole items and as many as there are labels. */
export function countMultiItems(data: MultiInputData): number {
  if (data.inputs.length === 0) throw new Error('mixture data needs at least one input');
  const count = data.labels.length;
  data.inputs.forEach((input, i) => {
    const size = itemSize(input.itemShape);
    if (size === 0 || input.x.length !== count * size) {
      throw new Error(`input ${i} holds ${input.x.length} values, not ${count} items of [${input.itemShape.join(', ')}] (one per label)`);
    }
  });
  return count;
}

/** Copy rows of one input into a tensor (in JS: no gather on the backend). */
export function rowsTensor(input: InputArray, rows: ArrayLike<number>): tf.Tensor {
  const size = itemSize(input.itemShape);
  const values = new Float32Array(rows.length * size);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] ?? 0;
    values.set(input.x.subarray(row * size, (row + 1) * size), i * size);
  }
  return tf.tensor(values, [rows.length, ...input.itemShape]);
}

export function labelsTensor(labels: ArrayLike<number>, rows: ArrayLike<number>): tf.Tensor1D {
  const values = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) values[i] = labels[rows[i] ?? 0] === 1 ? 1 : 0;
  return tf.tensor1d(values, 'int32');
}

export function multiBatchOf(data: MultiInputData, rows: ArrayLike<number>): MoeBatch {
  return { inputs: data.inputs.map((input) => rowsTensor(input, rows)), labels: labelsTensor(data.labels, rows) };
}
