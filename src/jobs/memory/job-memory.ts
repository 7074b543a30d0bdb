import * as tf from '@tensorflow/tfjs';
import type { JobSpec, JobWork } from '../../protocol/job-spec.js';
import type { ResolvedExpert } from '../../config/schema/index.js';
import { jobLabel } from '../../search/job-label.js';
import { formatBytes } from './bytes.js';
import { modelSize } from './model-size.js';
import { trainingPeak, type MemoryEstimate } from './estimate.js';
import { backendLimit, type BackendLimit } from './limits.js';
import { trainingDefaults } from '../../config/training-config.js';

/** A training job's estimate against its backend's limit. */
export interface JobMemory extends MemoryEstimate {
  key: string;
  label: string;
  /** ok; warn above 80 % of the limit (the estimate is within about 20 %); refuse above it. */
  verdict: 'ok' | 'warn' | 'refuse';
}

export interface MemoryCheck {
  limit: BackendLimit;
  jobs: JobMemory[];
}

const WARN_FRACTION = 0.8;

let cpuReady: Promise<void> | null = null;

/** Models are built on the plain-JS backend: plan time must not set up wasm or a GPU. */
function useCpu(): Promise<void> {
  cpuReady ??= (async () => {
    tf.enableProdMode();
    await tf.setBackend('cpu');
  })();
  return cpuReady;
}

/** The experts a built-in training job trains and its batch size; null for other jobs and command trainers. */
function trainingShape(job: JobWork): { experts: ResolvedExpert[]; batch: number; data: { sampleRate?: number; clipSeconds?: number } } | null {
  if (job.kind === 'pretrain' && job.inputs.trainer === undefined) {
    return { experts: [job.inputs.expert], batch: job.inputs.hp.batchSize ?? trainingDefaults.batchSize, data: job.inputs.data };
  }
  if (job.kind === 'train-moe' && job.inputs.trainer === undefined) {
    return { experts: job.inputs.experts, batch: job.inputs.train?.batchSize ?? trainingDefaults.batchSize, data: job.inputs.data };
  }
  return null;
}

export async function estimateJobMemory(job: JobWork, backend: string): Promise<MemoryEstimate | null> {
  const shape = trainingShape(job);
  if (shape === null) return null;
  await useCpu();
  return trainingPeak(shape.experts.map((e) => modelSize(e, shape.data)), shape.batch, backend);
}

/** Every built-in training job of `jobs` with its estimate and verdict, largest first. */
export async function checkMemory(jobs: Iterable<JobSpec>, backendChoice: string): Promise<MemoryCheck> {
  const limit = backendLimit(backendChoice);
  const out: JobMemory[] = [];
  for (const job of jobs) {
    const estimate = await estimateJobMemory(job, limit.backend);
    if (estimate === null) continue;
    const verdict = limit.bytes === null ? 'ok' : estimate.bytes > limit.bytes ? 'refuse' : estimate.bytes > WARN_FRACTION * limit.bytes ? 'warn' : 'ok';
    out.push({ key: job.key, label: jobLabel(job), verdict, ...estimate });
  }
  out.sort((a, b) => b.bytes - a.bytes);
  return { limit, jobs: out };
}

/** What to change when a job will not fit: the user's levers, in the order they cost least. */
export function memoryAdvice(estimate: MemoryEstimate, limit: BackendLimit): string {
  const target = limit.bytes ?? estimate.bytes;
  const fitsBatch = Math.floor(((target * WARN_FRACTION - (estimate.bytes - estimate.activationBytes)) / estimate.activationBytes) * estimate.batch);
  const elsewhere = 'train with another backend (--backend tensorflow needs @tensorflow/tfjs-node) or a command trainer (--trainer pytorch)';
  if (fitsBatch >= 2) return `set batchSize to ${fitsBatch} or less (now ${estimate.batch}), or use a smaller expert width or a shorter clip (data.clipSeconds), or ${elsewhere}`;
  return `even batchSize 2 does not fit (now ${estimate.batch}): use a smaller expert width or a shorter clip (data.clipSeconds), or ${elsewhere}`;
}

export function describeEstimate(job: JobMemory, limit: BackendLimit): string {
  const of = limit.bytes === null ? '' : ` of ${formatBytes(limit.bytes)}`;
  return `${job.label}: about ${formatBytes(job.bytes)}${of} at batch ${job.batch} (activations ${formatBytes(job.activationBytes)}, weights and optimizer ${formatBytes(job.weightBytes)})`;
}
