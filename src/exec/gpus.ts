import { spawnSync } from 'node:child_process';
import { UserError } from '../util/errors.js';
import { commandTrainerOf } from '../config/schema/trainer.js';
import type { JobSpec } from '../search/index.js';

export interface GpuInfo {
  index: string;
  name: string;
  memoryMiB: number | null;
  uuid: string;
}

/** The GPUs nvidia-smi lists, or why it could not say (not installed, no driver, ...). */
export function listGpus(): { gpus: GpuInfo[] } | { error: string } {
  const result = spawnSync('nvidia-smi', ['--query-gpu=index,name,memory.total,uuid', '--format=csv,noheader,nounits'], { encoding: 'utf8', timeout: 15_000 });
  if (result.error) return { error: (result.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'nvidia-smi is not installed (no NVIDIA driver on this machine)' : result.error.message };
  if (result.status !== 0) return { error: `nvidia-smi failed (exit ${result.status}): ${(result.stderr || result.stdout).trim().split('\n')[0]}` };
  const gpus = result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [index, name, memory, uuid] = line.split(',').map((field) => field.trim());
      const memoryMiB = Number(memory);
      return { index: index ?? '', name: name ?? '', memoryMiB: Number.isFinite(memoryMiB) ? memoryMiB : null, uuid: uuid ?? '' };
    });
  return { gpus };
}

/**
 * `--gpus all|0,1,3`: the devices to bind jobs to, as CUDA_VISIBLE_DEVICES names them
 * (indices, or GPU-/MIG- UUIDs). `all` asks nvidia-smi.
 */
export function resolveGpuOption(text: string, list: typeof listGpus = listGpus): string[] {
  const value = text.trim();
  if (value === 'all') {
    const found = list();
    if ('error' in found) throw new UserError(`--gpus all: cannot list the GPUs: ${found.error}. Name them (--gpus 0,1) or leave --gpus out.`, { exitCode: 3 });
    if (found.gpus.length === 0) throw new UserError('--gpus all: nvidia-smi lists no GPU on this machine.', { exitCode: 3 });
    return found.gpus.map((gpu) => gpu.index);
  }
  const devices = value.split(',').map((token) => token.trim());
  for (const device of devices) {
    if (!/^(\d+|GPU-[0-9A-Za-z-]+|MIG-[0-9A-Za-z/-]+)$/.test(device)) {
      throw new UserError(`--gpus ${JSON.stringify(text)}: "${device}" is not a GPU index or UUID. Expected "all" or a list like 0,1,3.`);
    }
  }
  if (new Set(devices).size !== devices.length) throw new UserError(`--gpus ${JSON.stringify(text)}: a GPU is listed twice.`);
  return devices;
}

export function checkJobsPerGpu(value: number | undefined): number {
  if (value === undefined) return 1;
  if (!Number.isInteger(value) || value < 1 || value > 64) throw new UserError(`--jobs-per-gpu ${value}: expected a whole number from 1 to 64.`);
  return value;
}

/** Command-trainer training and evaluation jobs take a GPU; features and built-in jobs do not. */
export function needsGpu(job: Pick<JobSpec, 'kind' | 'inputs'>): boolean {
  const trainer = commandTrainerOf(job.inputs);
  return trainer !== null && trainer.gpu !== false && job.kind !== 'features';
}

/**
 * `jobsPerGpu` slots per device. A job takes one for its whole attempt, so a device never
 * runs more than `jobsPerGpu` jobs at once; the least loaded device goes first, so jobs
 * spread over the GPUs before they share one.
 */
export class GpuSlots {
  private readonly used = new Map<string, number>();

  constructor(
    readonly devices: readonly string[],
    readonly jobsPerGpu: number,
  ) {
    for (const device of devices) this.used.set(device, 0);
  }

  get total(): number {
    return this.devices.length * this.jobsPerGpu;
  }

  acquire(): string | null {
    let best: string | null = null;
    for (const device of this.devices) {
      const used = this.used.get(device) as number;
      if (used < this.jobsPerGpu && (best === null || used < (this.used.get(best) as number))) best = device;
    }
    if (best !== null) this.used.set(best, (this.used.get(best) as number) + 1);
    return best;
  }

  release(device: string): void {
    this.used.set(device, Math.max(0, (this.used.get(device) ?? 0) - 1));
  }
}
