import type { JobContext } from '../protocol/job-protocol.js';
import type { JobResult } from '../protocol/records.js';
import { initBackend, type BackendInfo } from '../train/index.js';
import { featuresJob } from './features-job.js';
import { pretrainJob } from './pretrain-job.js';
import { trainMoeJob } from './train-moe-job.js';
import { evaluateJob } from './evaluate-job.js';
import { probeJob } from './probe-job.js';
import { trainingDefaults } from '../config/training-config.js';
import { brokenWorkerPrefix, isMemoryCrash, memoryCrashMessage } from '../protocol/memory-crash.js';

let backend: Promise<BackendInfo> | null = null;
/** Set when a job's backend ran out of memory: an aborted wasm module fails every later call in this thread. */
let brokenBy: string | null = null;

/**
 * Runs one planned job in this worker thread. The TensorFlow.js backend is set up once per
 * thread (with its self-test) the first time a job needs it.
 */
export async function runJob(context: JobContext): Promise<JobResult> {
  if (brokenBy !== null) throw new Error(`${brokenBy}; the job runs again in a fresh worker`);
  try {
    return await runOnBackend(context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (context.job.kind === 'features' || context.job.kind === 'probe' || !isMemoryCrash(message)) throw error;
    const info = await backend?.catch(() => null);
    const { job } = context;
    const batch = (job.kind === 'pretrain' ? job.inputs.hp.batchSize : job.kind === 'train-moe' ? job.inputs.train?.batchSize : undefined) ?? trainingDefaults.batchSize;
    brokenBy = brokenWorkerPrefix;
    // An aborted wasm module cannot be used again: the worker asks for this thread to be
    // replaced (src/exec/worker.ts); in-process (Slurm tasks) the process ends with the job.
    throw Object.assign(new Error(memoryCrashMessage(message, { backend: info?.name ?? null, batch }), { cause: error }), { threadUnusable: true });
  }
}

async function runOnBackend(context: JobContext): Promise<JobResult> {
  // Feature extraction and the shortcut probe are plain arithmetic: no backend to set up.
  if (context.job.kind !== 'features' && context.job.kind !== 'probe') {
    backend ??= initBackend(context.backend, { log: (line) => context.log(line) });
    const info = await backend.catch((error: unknown) => {
      backend = null;
      throw error;
    });
    context.usingBackend(info.name);
    const result = await dispatch(context);
    return { ...result, backend: info.name };
  }
  return dispatch(context);
}

/** Each runner gets the inputs of its own kind: the union (src/protocol/job-spec.ts) narrows on `kind`. */
function dispatch(context: JobContext): Promise<JobResult> {
  const { job } = context;
  switch (job.kind) {
    case 'features':
      return featuresJob(context, job.inputs);
    case 'pretrain':
      return pretrainJob(context, job.inputs);
    case 'train-moe':
      return trainMoeJob(context, job.inputs);
    case 'evaluate':
      return evaluateJob(context, job.inputs);
    case 'probe':
      return probeJob(context, job.inputs);
    default:
      // A job from a manifest or store written by another version of ablate.
      throw new Error(`unknown job kind ${(job as { kind: string }).kind}`);
  }
}
