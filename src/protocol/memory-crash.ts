/**
 * How a backend says it ran out of memory. The wasm backend aborts its module when its heap
 * cannot grow past 4 GiB (emscripten prints `Aborted()`, or an access past the heap traps
 * with `memory access out of bounds`); the JavaScript engines say `Array buffer allocation
 * failed`; native TensorFlow says OOM / `ResourceExhausted`.
 */
const memoryCrashPatterns = [
  /\bAborted\(/,
  /memory access out of bounds/i,
  /\bout of memory\b/i,
  /Cannot enlarge memory/i,
  /Array buffer allocation failed/i,
  /WebAssembly\.Memory.*(?:could not|failed)/i,
  /ResourceExhausted|\bOOM\b/,
];

export function isMemoryCrash(message: string): boolean {
  return memoryCrashPatterns.some((pattern) => pattern.test(message));
}

/** The message a job's failure gets when its backend ran out of memory: memory named first, the backend's own words kept. */
export function memoryCrashMessage(original: string, context: { backend: string | null; batch?: number }): string {
  const backend = context.backend ?? 'TensorFlow.js';
  const limit = backend === 'wasm' ? ' (it holds at most 4 GiB)' : '';
  const batch = context.batch !== undefined ? ` at batch ${context.batch}` : '';
  return (
    `out of memory: the ${backend} backend${limit} ran out of memory training this job${batch} (it said: ${original.split('\n')[0]}). ` +
    'This crash repeats on every attempt, so the job is not retried. `ablate plan <sweep>` shows each training job\'s estimated peak; ' +
    'lower batchSize or the expert width, shorten data.clipSeconds, or use another backend (--backend) or trainer (--trainer pytorch).'
  );
}

/** The first line of an attempt's error that poisoned its worker thread: later jobs there are sent back to the queue. */
export const brokenWorkerPrefix = '[interrupted] this worker thread\'s backend was broken by an out-of-memory crash';
