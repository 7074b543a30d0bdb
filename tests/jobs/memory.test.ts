import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, tsxLoader } from '../helpers/cli.js';
import type { ResolvedExpert } from '../../src/config/schema/index.js';
import { modelSize } from '../../src/jobs/memory/model-size.js';
import { trainingPeak } from '../../src/jobs/memory/estimate.js';
import { checkMemory, estimateJobMemory } from '../../src/jobs/memory/job-memory.js';
import { WASM_HEAP_MAX } from '../../src/jobs/memory/limits.js';
import { isMemoryCrash } from '../../src/protocol/memory-crash.js';
import type { JobSpec } from '../../src/search/index.js';

const mel = { kind: 'mel', nFft: 512, winLength: 400, hopLength: 160, window: 'hamming', fMin: 20, fMax: 7600, nMels: 40 } as ResolvedExpert['features'];
const logspec = { kind: 'logspec', nFft: 512, winLength: 400, hopLength: 160, window: 'hann' } as ResolvedExpert['features'];
const data = { sampleRate: 16000, clipSeconds: 3 };

function pretrain(expert: ResolvedExpert, batchSize: number, extra: Record<string, unknown> = {}): JobSpec {
  return { key: `pretrain-${expert.arch}-${expert.width ?? 1}-${expert.features.kind}-${extra['trainer'] ? 'command' : 'builtin'}`, kind: 'pretrain', inputs: { expert, hp: { batchSize }, data, seed: 0, ...extra } as never, deps: [] };
}

describe('plan-time memory estimate', () => {
  it('counts the real model: activations follow the input length, weights do not', async () => {
    const short = modelSize({ arch: 'resnet', width: 0.25, features: mel }, { sampleRate: 16000, clipSeconds: 1 });
    const long = modelSize({ arch: 'resnet', width: 0.25, features: mel }, { sampleRate: 16000, clipSeconds: 2 });
    expect(long.params).toBe(short.params);
    // 2 s has 201 frames against 101: every layer's output doubles, within the stride rounding.
    expect(long.activationsPerItem / short.activationsPerItem).toBeGreaterThan(1.9);
    expect(long.activationsPerItem / short.activationsPerItem).toBeLessThan(2.1);
    // The stem's output alone: 8 channels (32 x 0.25) over 40 x 101.
    expect(short.activationsPerItem).toBeGreaterThan(8 * 40 * 101);
    const one = trainingPeak([short], 1, 'wasm');
    const many = trainingPeak([short], 64, 'wasm');
    expect(many.activationBytes).toBe(64 * one.activationBytes);
    expect(many.weightBytes).toBe(one.weightBytes);
  });

  it('the issue\'s crashes are refused on wasm, the small experts pass, command trainers are not estimated', async () => {
    const { jobs, limit } = await checkMemory(
      [
        pretrain({ arch: 'resnet', width: 1, features: mel }, 32),
        pretrain({ arch: 'resnet', width: 0.25, features: logspec }, 32),
        pretrain({ arch: 'lcnn', width: 0.25, features: mel }, 32),
        pretrain({ arch: 'lcnn', width: 0.25, features: mel }, 32, { trainer: { command: ['python3', 'train.py'] } }),
      ],
      'wasm',
    );
    expect(limit.bytes).toBe(WASM_HEAP_MAX);
    const verdict = Object.fromEntries(jobs.map((j) => [j.key, j.verdict]));
    // ResNet at width 1 on mel, and any ResNet on the 257-bin log-spectrogram, at batch 32 (issue 16).
    expect(verdict).toEqual({ 'pretrain-resnet-1-mel-builtin': 'refuse', 'pretrain-resnet-0.25-logspec-builtin': 'refuse', 'pretrain-lcnn-0.25-mel-builtin': 'ok' });
    // A mixture holds all its experts at once.
    const single = await estimateJobMemory(pretrain({ arch: 'lcnn', width: 0.25, features: mel }, 32), 'wasm');
    const mixture = await estimateJobMemory(
      { kind: 'train-moe', inputs: { experts: [{ arch: 'lcnn', width: 0.25, features: mel }, { arch: 'lcnn', width: 0.25, features: mel }], train: { batchSize: 32 }, data } as never },
      'wasm',
    );
    expect(mixture?.activationBytes).toBe(2 * (single?.activationBytes as number));
  });

  it('is within the calibration band of the wasm heap a real training step grows to', () => {
    // bench/memory.ts --one: a fresh process, two real trainLoop steps on the wasm backend.
    const one = JSON.stringify({ expert: { arch: 'lcnn', width: 0.5, features: mel }, batch: 16, clipSeconds: 2 });
    const result = spawnSync(process.execPath, ['--import', tsxLoader, join(repoRoot, 'bench', 'memory.ts'), '--one', one], { encoding: 'utf8', cwd: repoRoot, timeout: 300_000 });
    expect(result.status, result.stderr).toBe(0);
    const line = JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as { measuredBytes: number; estimateBytes: number };
    expect(line.measuredBytes).toBeGreaterThan(100 * 2 ** 20);
    expect(line.estimateBytes / line.measuredBytes).toBeGreaterThan(0.8);
    expect(line.estimateBytes / line.measuredBytes).toBeLessThan(1.3);
  });

  it('knows how the backends say they ran out of memory', () => {
    expect(isMemoryCrash('Aborted(). Build with -sASSERTIONS for more info.')).toBe(true);
    expect(isMemoryCrash('RuntimeError: memory access out of bounds')).toBe(true);
    expect(isMemoryCrash('RangeError: Array buffer allocation failed')).toBe(true);
    expect(isMemoryCrash('simulated failure of pretrain-1 (attempt 1)')).toBe(false);
    expect(isMemoryCrash('the job was aborted by the user')).toBe(false);
  });
});
