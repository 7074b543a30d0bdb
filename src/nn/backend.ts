import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError } from '../util/errors.js';
import { registerBatchNormGradient } from './gradients/batch-norm.js';
import { runBackendSelfTest } from './self-test.js';
import { registerWasmBatchNorm } from './wasm/batch-norm.js';
import { registerWasmConvGradients } from './wasm/conv-gradients.js';
import { registerWasmLeadingAxisReductions } from './wasm/leading-axis-reductions.js';
import { registerWasmMatMulTranspose } from './wasm/matmul-transpose.js';
import { registerWasmMaxPoolGrad } from './wasm/max-pool-grad.js';

export const BACKEND_CHOICES = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendName = Exclude<BackendChoice, 'auto'>;

export interface BackendInfo {
  /** The backend in use, as `--backend` names it. */
  name: BackendName;
  /** One line for logs and the store: package, version, threads, SIMD. */
  detail: string;
}

export interface InitBackendOptions {
  /** Where the choice (and each rejected candidate in `auto`) is reported. */
  log?: (line: string) => void;
}

/** `auto` tries these in order and takes the first that loads and passes the self-test. */
const AUTO_ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/** The native bindings are optionalDependencies; their names are kept out of static imports. */
const NATIVE_PACKAGES: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

let current: BackendInfo | null = null;
let wasmPathsSet = false;

async function loadNative(name: 'tensorflow-gpu' | 'tensorflow'): Promise<string> {
  const packageName = NATIVE_PACKAGES[name];
  const loaded = (await import(packageName)) as { version?: Record<string, string> };
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${packageName} loaded but its backend did not initialise`);
  const version = loaded.version?.['tfjs-node'] ?? loaded.version?.['tfjs-core'] ?? tf.version_core;
  return `${packageName} ${version}`;
}

async function loadWasm(): Promise<string> {
  if (!wasmPathsSet) {
    // Point the loader at the package's own .wasm files explicitly, so it works the same
    // from tsx, a built dist/ and Piscina worker threads.
    const require = createRequire(import.meta.url);
    setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  // The replacement kernels live in this module instance's registry: every worker thread
  // registers its own (initBackend runs in each).
  registerWasmConvGradients();
  registerWasmMatMulTranspose();
  registerWasmLeadingAxisReductions();
  registerWasmMaxPoolGrad();
  registerWasmBatchNorm();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  // Threads are off under Node in tfjs-backend-wasm 4.x (one thread per backend instance);
  // parallelism comes from running jobs in several worker threads.
  return `@tensorflow/tfjs-backend-wasm ${tf.version_core}, ${simd ? 'SIMD' : 'no SIMD'}, 1 thread, ablate conv-gradient kernels`;
}

async function loadCpu(): Promise<string> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
  return `@tensorflow/tfjs-backend-cpu ${tf.version_core} (pure JavaScript, slow: use wasm when it loads)`;
}

async function load(name: BackendName): Promise<string> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow':
      return loadNative(name);
    case 'wasm':
      return loadWasm();
    case 'cpu':
      return loadCpu();
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'object' && error !== null && 'message' in error ? String((error as { message: unknown }).message) : String(error);
  return text.split('\n', 1)[0] ?? text;
}

/**
 * Select and set up the TensorFlow.js backend for this thread, then run a one-step
 * self-test (a tiny forward and backward pass checked against a plain-JS reference).
 * Throws a UserError naming the backend and what to do when an explicitly requested one
 * cannot load or fails the test; `auto` moves on to the next candidate instead.
 */
export async function initBackend(choice: BackendChoice, options: InitBackendOptions = {}): Promise<BackendInfo> {
  if (!(BACKEND_CHOICES as readonly string[]).includes(choice)) {
    throw new UserError(`unknown backend "${String(choice)}": expected one of ${BACKEND_CHOICES.join(', ')}`);
  }
  // Production mode: no debug checks, no console banners from backends.
  tf.enableProdMode();
  registerBatchNormGradient();
  const candidates = choice === 'auto' ? AUTO_ORDER : [choice];
  const failures: Array<{ name: BackendName; why: string }> = [];
  for (const name of candidates) {
    let detail: string;
    try {
      detail = await load(name);
    } catch (error) {
      const why = describe(error);
      failures.push({ name, why });
      options.log?.(`backend ${name} not available: ${why}`);
      continue;
    }
    try {
      runBackendSelfTest();
    } catch (error) {
      const why = `loaded but failed the self-test: ${describe(error)}`;
      failures.push({ name, why });
      options.log?.(`backend ${name} ${why}`);
      continue;
    }
    current = { name, detail };
    options.log?.(`backend: ${name} (${detail})`);
    return current;
  }
  if (choice === 'auto') {
    const lines = failures.map(({ name, why }) => `${name}: ${why}`).join('\n  ');
    throw new UserError(`no TensorFlow.js backend could be used:\n  ${lines}\nReinstall the dependencies (npm ci) and try --backend cpu.`);
  }
  const hint =
    choice === 'tensorflow-gpu' || choice === 'tensorflow'
      ? `${NATIVE_PACKAGES[choice]} is an optional dependency that installs only with access to Google's storage; use --backend auto (or wasm) instead.`
      : 'Try --backend auto, or another backend.';
  throw new UserError(`backend "${choice}" cannot be used: ${failures[0]?.why ?? 'unknown error'}\n${hint}`);
}
