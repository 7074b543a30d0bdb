import * as tf from '@tensorflow/tfjs';
import { type Rng } from '../../util/rng.js';
import { sequentialRows } from '../batches.js';
import { type BalancedPlanOptions, trainingRowPlan } from './batches.js';
import { type InputArray, type MultiInputData, countMultiItems, labelsTensor, rowsTensor } from './data.js';
import { type EvaluateOptions, type MixtureEvaluation, evaluateBlocks } from './evaluate.js';
import type { CachedBatch, Mixture } from './mixture.js';

/**
 * Every item's expert outputs, computed once with the experts in inference mode: with
 * frozen experts these never change, so the gate can be trained on them (seconds)
 * instead of running every expert at every step (minutes).
 */
export interface ExpertOutputCache {
  count: number;
  /** 1 = bona fide. */
  labels: Uint8Array;
  embeddingDims: number[];
  /** One row-major [count, embeddingDim_i] per expert. */
  embeddings: Float32Array[];
  /** One row-major [count, 2] per expert. */
  logits: Float32Array[];
  /** What a standard gate reads: the data's own input array (not a copy); null for an enhanced gate. */
  gateInput: InputArray | null;
}

export interface CacheOptions {
  /** Items per expert forward pass (default 64). */
  batchSize?: number;
}

/** Run each of the mixture's experts once over the data, in inference mode, and keep their outputs. */
export function cacheExpertOutputs(mixture: Mixture, data: MultiInputData, options: CacheOptions = {}): ExpertOutputCache {
  const count = countMultiItems(data);
  const batchSize = options.batchSize ?? 64;
  const dims = mixture.members.map(({ expert }) => expert.embeddingDim);
  const embeddings = dims.map((dim) => new Float32Array(count * dim));
  const logits = dims.map(() => new Float32Array(count * 2));
  mixture.members.forEach(({ expert, input }, i) => {
    const array = data.inputs[input];
    if (array === undefined) throw new Error(`expert ${i} reads input ${input} but the data has ${data.inputs.length} input(s)`);
    for (const rows of sequentialRows(count, batchSize)) {
      const start = rows[0] ?? 0;
      const x = rowsTensor(array, rows);
      const outputs = expert.model.apply(x, { training: false }) as tf.Tensor[];
      (embeddings[i] as Float32Array).set((outputs[0] as tf.Tensor).dataSync(), start * (dims[i] as number));
      (logits[i] as Float32Array).set((outputs[outputs.length - 1] as tf.Tensor).dataSync(), start * 2);
      tf.dispose([x, ...outputs]);
    }
  });
  const gateInput = mixture.gateConfig.input === 'standard' ? (data.inputs[mixture.gateInputIndex] ?? null) : null;
  return { count, labels: Uint8Array.from(data.labels as ArrayLike<number>, (label) => (label === 1 ? 1 : 0)), embeddingDims: dims, embeddings, logits, gateInput };
}

function cachedRows(values: Float32Array, width: number, rows: ArrayLike<number>): tf.Tensor2D {
  return rowsTensor({ x: values, itemShape: [width] }, rows) as tf.Tensor2D;
}

/** A batch of cached outputs (rows copied in JS). */
export function cachedBatchOf(cache: ExpertOutputCache, rows: ArrayLike<number>): CachedBatch {
  return {
    embeddings: cache.embeddings.map((values, i) => cachedRows(values, cache.embeddingDims[i] as number, rows)),
    logits: cache.logits.map((values) => cachedRows(values, 2, rows)),
    gateInput: cache.gateInput === null ? null : rowsTensor(cache.gateInput, rows),
    labels: labelsTensor(cache.labels, rows),
  };
}

/** One epoch of class-balanced cached batches: the rows balancedMultiBatches draws from the same rng state. */
export function* balancedCachedBatches(cache: ExpertOutputCache, rng: Rng, options: BalancedPlanOptions): Generator<CachedBatch> {
  for (const rows of trainingRowPlan(cache.labels, rng, options)) yield cachedBatchOf(cache, rows);
}

export function disposeCachedBatch(batch: CachedBatch): void {
  tf.dispose([...batch.embeddings, ...batch.logits, batch.labels]);
  batch.gateInput?.dispose();
}

/** evaluateMixture on cached expert outputs (frozen experts). */
export function evaluateCachedMixture(mixture: Mixture, cache: ExpertOutputCache, options: EvaluateOptions = {}): MixtureEvaluation {
  return evaluateBlocks(
    mixture,
    cache.count,
    cache.labels,
    (rows) => {
      const batch = cachedBatchOf(cache, rows);
      return { forward: mixture.forwardCached(batch, { training: false }), labels: batch.labels, dispose: () => disposeCachedBatch(batch) };
    },
    options,
  );
}
