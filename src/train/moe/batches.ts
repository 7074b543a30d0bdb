import type { Rng } from '../../util/rng.js';
import { balancedRowPlan, trainingRowPlan, type BalancedBatchOptions } from '../batches.js';
import { type MoeBatch, type MultiInputData, countMultiItems, multiBatchOf } from './data.js';

export type BalancedPlanOptions = BalancedBatchOptions;
// The same row plan as a single model's batches, so a one-input mixture sees the batches
// its experts' pre-training would, and the cached and recomputing gate trainers agree.
export { balancedRowPlan, trainingRowPlan };

/**
 * One epoch of class-balanced batches over several inputs. The whole epoch's rows are
 * drawn up front, so the rng ends the epoch in the same state even if the generator is
 * abandoned half way (an aborted step).
 */
export function* balancedMultiBatches(data: MultiInputData, rng: Rng, options: BalancedPlanOptions): Generator<MoeBatch> {
  countMultiItems(data);
  for (const rows of trainingRowPlan(data.labels, rng, options)) yield multiBatchOf(data, rows);
}
