import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/nn/backend.js';
import { balancedBatches, type LabelledArray } from '../../src/train/batches.js';
import { Rng } from '../../src/util/rng.js';

beforeAll(async () => {
  await initBackend('wasm');
});

/** 10 bona fide and 30 spoof items of shape [2, 3]; every value of item i is i. */
function data(): LabelledArray {
  const count = 40;
  const x = new Float32Array(count * 6);
  for (let i = 0; i < count; i++) x.fill(i, i * 6, (i + 1) * 6);
  return { x, itemShape: [2, 3], labels: Array.from({ length: count }, (_, i) => (i % 4 === 0 ? 1 : 0)) };
}

function epochRows(seed: number | Rng, batchSize = 8): number[][] {
  const rng = typeof seed === 'number' ? new Rng(seed) : seed;
  const rows: number[][] = [];
  for (const batch of balancedBatches(data(), rng, { batchSize })) {
    expect(batch.x.shape).toEqual([batchSize, 2, 3]);
    const values = batch.x.dataSync();
    const items = Array.from({ length: batchSize }, (_, i) => values[i * 6]!);
    expect(Array.from(batch.labels.dataSync())).toEqual(items.map((item) => (item % 4 === 0 ? 1 : 0)));
    rows.push(items);
    tf.dispose([batch.x, batch.labels]);
  }
  return rows;
}

describe('balancedBatches', () => {
  it('makes every batch half bona fide, half spoof, and an epoch as long as the data', () => {
    const rows = epochRows(1);
    expect(rows).toHaveLength(5);
    for (const batch of rows) expect(batch.filter((item) => item % 4 === 0)).toHaveLength(4);
  });

  it('repeats the minority class through fresh shuffles and never repeats spoof items within an epoch', () => {
    const rows = epochRows(2).flat();
    const bonafide = rows.filter((item) => item % 4 === 0);
    const spoof = rows.filter((item) => item % 4 !== 0);
    expect(bonafide).toHaveLength(20);
    expect(new Set(bonafide.slice(0, 10)).size).toBe(10);
    expect(new Set(bonafide.slice(10)).size).toBe(10);
    expect(new Set(spoof).size).toBe(20);
  });

  it('is a function of the rng state: same seed same batches, a restored state replays the next epoch', () => {
    expect(epochRows(3)).toEqual(epochRows(3));
    expect(epochRows(3)).not.toEqual(epochRows(4));
    const rng = new Rng(5);
    epochRows(rng);
    const saved = rng.state;
    const next = epochRows(rng);
    expect(epochRows(new Rng(saved))).toEqual(next);
  });

  it('refuses data with one class', () => {
    const oneClass = { ...data(), labels: new Array(40).fill(0) };
    expect(() => [...balancedBatches(oneClass, new Rng(1), { batchSize: 8 })]).toThrow(/both classes/);
  });
});
