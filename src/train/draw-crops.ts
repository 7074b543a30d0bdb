import * as tf from '@tensorflow/tfjs';
import { deriveSeed, Rng } from '../util/rng.js';
import { type BalancedBatchOptions, type Batch, type LabelledArray, countItems, trainingRowPlan } from './batches.js';
import { type MoeBatch, type MultiInputData, countMultiItems, labelsTensor } from './moe/data.js';

/** Items of one input, flat [count, ...itemShape]; the last axis is time (frames or samples). */
interface TimeArray {
  x: Float32Array;
  itemShape: number[];
}

/**
 * Fresh crops per draw (`data.cropPoolSeconds`): the training features hold a longer
 * window of each clip (cached as any clip), and every time a batch draws an item it
 * takes a new random window of the model's length from it, cut along the time axis (in
 * frames; in samples for the waveform). One position per draw, as a fraction of the
 * slack, so inputs with different hops (a mixture's front ends) cut the same stretch of
 * time. The fractions of an epoch come from (seed, epoch) alone: a resumed job cuts the
 * crops an uninterrupted one would, with no state to checkpoint.
 */
export function drawPositions(seed: number, epoch: number, draws: number): Float64Array {
  const rng = new Rng(deriveSeed(seed, 'draw-crop', epoch));
  return Float64Array.from({ length: draws }, () => rng.uniform());
}

/** The rows' items cut to `length` along time, each at its position (a fraction of the slack). */
export function cropRows(input: TimeArray, rows: ArrayLike<number>, positions: ArrayLike<number>, length: number): Float32Array {
  const time = input.itemShape[input.itemShape.length - 1] as number;
  if (length > time) throw new Error(`cannot crop ${length} steps from items of ${time}`);
  const lead = input.itemShape.slice(0, -1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(rows.length * lead * length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as number;
    const offset = Math.min(time - length, Math.floor((positions[i] as number) * (time - length + 1)));
    for (let r = 0; r < lead; r++) {
      const from = (row * lead + r) * time + offset;
      out.set(input.x.subarray(from, from + length), (i * lead + r) * length);
    }
  }
  return out;
}

/** Every item cut to `length` at the centre: what batch-norm recalibration runs on. */
export function centreCrop<T extends TimeArray>(input: T, length: number): T {
  const count = input.x.length / input.itemShape.reduce((a, b) => a * b, 1);
  const rows = Array.from({ length: count }, (_, i) => i);
  const x = cropRows(input, rows, new Float64Array(count).fill(0.5), length);
  return { ...input, x, itemShape: [...input.itemShape.slice(0, -1), length] };
}

/** One epoch of training batches (trainingRowPlan's rows) with every draw freshly cropped to `length`. */
export function* croppedBatches(data: LabelledArray, rng: Rng, options: BalancedBatchOptions, seed: number, epoch: number, length: number): Generator<Batch> {
  countItems(data);
  const plan = trainingRowPlan(data.labels, rng, options);
  const positions = drawPositions(seed, epoch, plan.length * options.batchSize);
  let at = 0;
  for (const rows of plan) {
    const x = cropRows(data, rows, positions.subarray(at, at + rows.length), length);
    at += rows.length;
    yield { x: tf.tensor(x, [rows.length, ...data.itemShape.slice(0, -1), length]), labels: labelsTensor(data.labels, rows) };
  }
}

/** The same for a mixture's inputs: one position per draw cuts every input (lengths[i] for input i). */
export function* croppedMultiBatches(data: MultiInputData, rng: Rng, options: BalancedBatchOptions, seed: number, epoch: number, lengths: number[]): Generator<MoeBatch> {
  countMultiItems(data);
  const plan = trainingRowPlan(data.labels, rng, options);
  const positions = drawPositions(seed, epoch, plan.length * options.batchSize);
  let at = 0;
  for (const rows of plan) {
    const where = positions.subarray(at, at + rows.length);
    at += rows.length;
    const inputs = data.inputs.map((input, i) => {
      const length = lengths[i] as number;
      return tf.tensor(cropRows(input, rows, where, length), [rows.length, ...input.itemShape.slice(0, -1), length]);
    });
    yield { inputs, labels: labelsTensor(data.labels, rows) };
  }
}
