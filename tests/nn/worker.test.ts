import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { tinyJob } from '../train/support/train-worker.js';

type JobResult = Awaited<ReturnType<typeof tinyJob>>;

/** Run support/train_worker.ts in a real worker thread (registering tsx's loader there: the sources are TypeScript). */
function inWorker(seed: number): Promise<JobResult> {
  const entry = new URL('../train/support/train-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { seed } });
    worker.once('message', (result: JobResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe('training in worker threads', () => {
  it('works in parallel workers, each setting up its own kernels, and gives the same weights as the main thread', async () => {
    const [first, second] = await Promise.all([inWorker(9), inWorker(9)]);
    const main = await tinyJob(9);
    for (const result of [first, second]) {
      expect(result.backend).toBe('wasm');
      expect(result.tensorsAfter).toBe(result.tensorsBefore);
      expect(result.weights).toEqual(main.weights);
    }
  });
});
