import { createRequire } from 'node:module';
import { totalmem } from 'node:os';

/**
 * What each backend can hold, as plan time knows it:
 * - wasm: the module's heap can grow to 4 GiB - 64 KiB (emscripten's getHeapMax in
 *   @tensorflow/tfjs-backend-wasm 4.x: a 32-bit address space), whatever the machine has;
 *   beyond it an allocation aborts the module (`Aborted()`, `memory access out of bounds`).
 * - cpu, tensorflow: the machine's memory (typed arrays and native buffers live outside
 *   V8's heap limit).
 * - tensorflow-gpu: the GPU's memory, which plan time does not know: estimates are shown,
 *   never refused.
 */
export const WASM_HEAP_MAX = 4294901760;

export interface BackendLimit {
  backend: string;
  bytes: number | null;
  what: string;
}

/** The backend `auto` would take on this machine: a native one where its package is installed, else wasm. */
export function effectiveBackend(choice: string): string {
  if (choice !== 'auto') return choice;
  const require = createRequire(import.meta.url);
  for (const [name, pkg] of [['tensorflow-gpu', '@tensorflow/tfjs-node-gpu'], ['tensorflow', '@tensorflow/tfjs-node']] as const) {
    try {
      require.resolve(pkg);
      return name;
    } catch {
      // not installed: the next one
    }
  }
  return 'wasm';
}

export function backendLimit(choice: string): BackendLimit {
  const backend = effectiveBackend(choice);
  switch (backend) {
    case 'wasm':
      return { backend, bytes: WASM_HEAP_MAX, what: 'the wasm backend holds at most 4 GiB (a 32-bit heap)' };
    case 'cpu':
    case 'tensorflow':
      return { backend, bytes: totalmem(), what: `the ${backend} backend holds at most this machine's memory` };
    default:
      return { backend, bytes: null, what: `the ${backend} backend's limit (GPU memory) is not known before it runs` };
  }
}
