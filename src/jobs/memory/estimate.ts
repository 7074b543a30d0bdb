import type { ModelSize } from './model-size.js';

/**
 * A training step's peak memory from the model's size, for the backends whose memory
 * ablate holds (the command trainers hold their own). Calibrated against the wasm heap
 * after real training steps (bench/memory.ts; the figures are in docs/MEMORY.md):
 *
 *   peak = runtime + batch x 4 B x (ACTIVATION_COPIES[arch] x activations + 2 x input) + 4 B x WEIGHT_COPIES x weights
 *
 * `activations` is the sum of the layers' output sizes; the backward pass keeps them and
 * the ops' own intermediates (batch-norm statistics, max-feature-map masks, conv
 * gradients' buffers) and makes gradients of the same size, hence several copies.
 * Weights: the weights, their gradients, AdamW's two moments, the best epoch's copy and
 * the checkpoint's.
 */
export const ACTIVATION_COPIES: Record<string, number> = { lcnn: 5.5, resnet: 6.5, sincnet: 7 };
export const WEIGHT_COPIES = 6;
/** The wasm module's own heap before a model exists (measured: its 16 MiB initial heap). */
export const RUNTIME_BYTES: Record<string, number> = { wasm: 16 * 2 ** 20 };

export interface MemoryEstimate {
  bytes: number;
  activationBytes: number;
  weightBytes: number;
  batch: number;
}

export function trainingPeak(experts: readonly ModelSize[], batch: number, backend: string): MemoryEstimate {
  const activations = experts.reduce((sum, e) => sum + (ACTIVATION_COPIES[e.arch] ?? 7) * e.activationsPerItem + 2 * e.inputPerItem, 0);
  const weights = experts.reduce((sum, e) => sum + e.params, 0);
  const activationBytes = 4 * batch * activations;
  const weightBytes = 4 * WEIGHT_COPIES * weights;
  return { bytes: (RUNTIME_BYTES[backend] ?? 0) + activationBytes + weightBytes, activationBytes, weightBytes, batch };
}
