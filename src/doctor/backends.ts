import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BackendReport {
  backend: 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
  package: string;
  loads: boolean;
  /** What loaded (version, SIMD, ...) or why it did not, in words. */
  detail: string;
}

const packages: Record<BackendReport['backend'], string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs (cpu backend)',
};

/** Each backend set up in its own process (with ablate's self-test), in `--backend auto`'s order. */
export function probeBackends(): BackendReport[] {
  return (Object.keys(packages) as Array<BackendReport['backend']>).map((backend) => {
    const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const probe = fileURLToPath(new URL(`./probe-backend${extension}`, import.meta.url));
    const result = spawnSync(process.execPath, [...process.execArgv, probe, backend], { encoding: 'utf8', timeout: 120_000 });
    const line = result.stdout.trim().split('\n').at(-1) ?? '';
    let outcome: { ok: boolean; detail?: string; error?: string };
    try {
      outcome = JSON.parse(line) as typeof outcome;
    } catch {
      const why = result.signal ? `the process loading it was killed by ${result.signal}` : `the process loading it exited with code ${result.status}`;
      outcome = { ok: false, error: `${why}: ${(result.stderr || '').trim().split('\n').at(-1) ?? ''}` };
    }
    return { backend, package: packages[backend], loads: outcome.ok, detail: outcome.ok ? (outcome.detail ?? '') : explainFailure(backend, outcome.error ?? 'unknown error') };
  });
}

/** A loader's error in the words a user can act on. */
export function explainFailure(backend: BackendReport['backend'], error: string): string {
  if (/Cannot find (package|module) '@tensorflow\/tfjs-node/.test(error) || /ERR_MODULE_NOT_FOUND/.test(error)) {
    return `not installed (${packages[backend]} is an optional dependency; its install downloads libtensorflow: README, "GPUs")`;
  }
  const library = /(lib[\w.+-]+\.so(?:\.[\d.]+)?): cannot open shared object file/.exec(error)?.[1];
  if (library) {
    const cuda = /^lib(cudart|cublas|cublasLt|cufft|curand|cusolver|cusparse|cudnn)/.test(library);
    return `a missing ${cuda ? 'CUDA/cuDNN ' : ''}library: ${library}${cuda ? ' (tfjs-node-gpu 4.22 runs libtensorflow 2.9.1, built for CUDA 11.2 and cuDNN 8.1)' : ''}`;
  }
  return error;
}
