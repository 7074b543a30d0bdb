import { Piscina } from 'piscina';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * The worker file next to this module: worker.js when running the built package, worker.ts
 * when running from sources under tsx (workers inherit tsx's loader through execArgv).
 */
export function workerFile(): string {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`./worker${extension}`, import.meta.url));
}

/** A fixed-size pool of worker threads, one job at a time each. */
export function createPool(threads: number): Piscina {
  return new Piscina({
    filename: workerFile(),
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: 1,
    // Keep the threads (and their initialised TensorFlow.js backends) for the whole run.
    idleTimeout: 60 * 60 * 1000,
    execArgv: process.execArgv,
  });
}

/**
 * Workers by default: one per core on the CPU backends (each wasm/cpu backend instance is
 * single-threaded under Node); one when a native TensorFlow backend runs (it threads
 * its own ops, and on a GPU one process shares the device best).
 */
export function defaultWorkers(backend: string): number {
  if (backend === 'tensorflow' || backend === 'tensorflow-gpu') return 1;
  return Math.max(1, availableParallelism());
}
