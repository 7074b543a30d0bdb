import { deriveSeed } from '../util/rng.js';

/**
 * The seed of the current training step, for layers that draw random numbers in their
 * forward pass (dropout masks, gate noise).
 *
 * Why a scope instead of a layer seed: tfjs ops given a seed restart the same stream on
 * every call (tf.dropout with a fixed seed drops the same units at every step), and
 * without one they use Math.random. The training loop opens a scope per step with a seed
 * derived from the job seed, the epoch and the step, so masks differ between steps, are
 * reproducible, and a resumed job draws the masks an uninterrupted one would have.
 * Module state is per thread, which is what a worker-thread job needs.
 */

let currentSeed: number | null = null;
const fallbackCounters = new Map<string, number>();

export function withStepSeed<T>(seed: number, run: () => T): T {
  const previous = currentSeed;
  currentSeed = seed;
  try {
    return run();
  } finally {
    currentSeed = previous;
  }
}

/**
 * The seed a layer named `layerName` uses in this step. Outside a training-loop step (a
 * hand-written loop), each layer counts its own calls from its base seed instead:
 * reproducible within one process run, but not across a resume.
 */
export function layerStepSeed(layerName: string, baseSeed: number): number {
  if (currentSeed !== null) return deriveSeed(currentSeed, layerName);
  const calls = fallbackCounters.get(layerName) ?? 0;
  fallbackCounters.set(layerName, calls + 1);
  return deriveSeed(baseSeed, layerName, 'call', calls);
}
