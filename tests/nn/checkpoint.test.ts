import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../../src/nn/checkpoint.js';
import { isUserError } from '../../src/util/errors.js';
import { tempDir } from '../helpers/tmp.js';

const arrays = (value: number) => [
  { group: 'weights', name: 'dense/kernel', shape: [2, 3], values: Float32Array.from({ length: 6 }, (_, i) => value + i / 8) },
  { group: 'adam.m', name: 'dense/kernel', shape: [2, 3], values: new Float32Array(6).fill(-value) },
];

describe('checkpoints', () => {
  it('round-trip the arrays and the JSON state, keep only the latest', async () => {
    const dir = tempDir();
    expect(await loadCheckpoint(dir)).toBeNull();
    await saveCheckpoint(dir, { fingerprint: 'f', epoch: 1, step: 10, extra: { rng: [1, 2], best: 0.5 } }, arrays(1));
    await saveCheckpoint(dir, { fingerprint: 'f', epoch: 2, step: 20, extra: { rng: [3, 4], best: 0.25 } }, arrays(2));
    const loaded = await loadCheckpoint(dir);
    expect(loaded).toMatchObject({ fingerprint: 'f', epoch: 2, step: 20, extra: { rng: [3, 4], best: 0.25 } });
    expect(loaded!.arrays).toEqual(arrays(2));
    expect(readdirSync(dir).sort()).toEqual(['epoch-00002', 'latest.json']);
    expect(readdirSync(join(dir, 'epoch-00002')).sort()).toEqual(['manifest.json', 'tensors.bin']);
  });

  it('refuse a damaged checkpoint with a message that names the file and what to do', async () => {
    const dir = tempDir();
    await saveCheckpoint(dir, { fingerprint: 'f', epoch: 3, step: 1, extra: {} }, arrays(3));
    const binary = join(dir, 'epoch-00003', 'tensors.bin');
    const bytes = readFileSync(binary);
    bytes[5] = (bytes[5] ?? 0) ^ 0xff;
    writeFileSync(binary, bytes);
    const error = await loadCheckpoint(dir).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toContain(binary);
    expect((error as Error).message).toMatch(/checksum.*Delete the checkpoint directory/s);
  });

  it('survive kill -9 at any moment: the latest checkpoint is always complete', async () => {
    const writer = new URL('../train/support/checkpoint-writer.ts', import.meta.url).pathname;
    // Kill points spread over a save (each takes tens of milliseconds).
    for (const delayMs of [0, 7, 19, 31, 53]) {
      const dir = tempDir();
      const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      let saved = 0;
      await new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.stdout.on('data', (chunk: Buffer) => {
          saved += (chunk.toString().match(/saved/g) ?? []).length;
          if (saved === 2) setTimeout(() => child.kill('SIGKILL'), delayMs);
        });
        child.on('exit', () => resolve());
      });
      const checkpoint = await loadCheckpoint(dir);
      expect(checkpoint).not.toBeNull();
      expect(checkpoint!.epoch).toBeGreaterThanOrEqual(2);
      for (const array of checkpoint!.arrays) expect(array.values.every((v) => v === checkpoint!.epoch)).toBe(true);
      expect(checkpoint!.extra).toEqual({ epoch: checkpoint!.epoch });
    }
  });
});
