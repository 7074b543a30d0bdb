import type { JobContext } from '../../exec/protocol.js';
import type { JobResult } from '../../store/index.js';
import { initBackend, type BackendInfo } from '../index.js';
import { featuresJob } from './features-job.js';
import { pretrainJob } from './pretrain-job.js';
import { trainMoeJob } from './train-moe-job.js';
import { evaluateJob } from './evaluate-job.js';
import { probeJob } from './probe-job.js';

let backend: Promise<BackendInfo> | null = null;

/**
 * Runs one planned job in this worker thread. The TensorFlow.js backend is set up once per
 * thread (with its self-test) the first time a job needs it.
 */
export async function runJob(context: JobContext): Promise<JobResult> {
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

function dispatch(context: JobContext): Promise<JobResult> {
  switch (context.job.kind) {
    case 'features':
      return featuresJob(context);
    case 'pretrain':
      return pretrainJob(context);
    case 'train-moe':
      return trainMoeJob(context);
    case 'evaluate':
      return evaluateJob(context);
    case 'probe':
      return probeJob(context);
    default:
      throw new Error(`unknown job kind ${context.job.kind}`);
  }
}
