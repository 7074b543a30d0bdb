import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/nn/backend.js';
import { balancedBatches } from '../../../src/train/batches.js';
import { balancedMultiBatches } from '../../../src/train/moe/index.js';
import { Rng } from '../../../src/util/rng.js';
import { toyData } from './support/toy.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('balancedMultiBatches', () => {
  it('draws exactly the batches balancedBatches draws from the same rng, for a one-input mixture', () => {
    const data = toyData(22, 1);
    const first = data.inputs[0] as { x: Float32Array; itemShape: number[] };
    const labels = Uint8Array.from({ length: 22 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const single = [...balancedBatches({ x: first.x, itemShape: first.itemShape, labels }, new Rng(5), { batchSize: 6, stepsPerEpoch: 5 })];
    const multi = [...balancedMultiBatches({ inputs: [first], labels }, new Rng(5), { batchSize: 6, stepsPerEpoch: 5 })];
    expect(multi).toHaveLength(5);
    multi.forEach((batch, i) => {
      expect(Array.from(batch.inputs[0]?.dataSync() ?? [])).toEqual(Array.from(single[i]?.x.dataSync() ?? []));
      expect(Array.from(batch.labels.dataSync())).toEqual(Array.from(single[i]?.labels.dataSync() ?? []));
    });
    tf.dispose([...single.flatMap((b) => [b.x, b.labels]), ...multi.flatMap((b) => [...b.inputs, b.labels])]);
  });

  it('keeps the rows of every input aligned and each batch half bona fide', () => {
    // Item i's values are all i in input 0 and -i in input 1 (a different shape).
    const count = 15;
    const labels = Uint8Array.from({ length: count }, (_, i) => (i < 4 ? 1 : 0));
    const data = {
      inputs: [
        { x: Float32Array.from({ length: count * 6 }, (_, j) => Math.floor(j / 6)), itemShape: [2, 3] },
        { x: Float32Array.from({ length: count * 4 }, (_, j) => -Math.floor(j / 4)), itemShape: [4] },
      ],
      labels,
    };
    const seen = new Set<number>();
    for (const batch of balancedMultiBatches(data, new Rng(2), { batchSize: 4, stepsPerEpoch: 6 })) {
      const a = batch.inputs[0]?.arraySync() as number[][][];
      const b = batch.inputs[1]?.arraySync() as number[][];
      const y = Array.from(batch.labels.dataSync());
      expect(y).toEqual([1, 1, 0, 0]);
      a.forEach((item, r) => {
        const id = item[0]?.[0] as number;
        expect(item.flat().every((v) => v === id)).toBe(true);
        expect(b[r]?.every((v) => v === -id)).toBe(true);
        expect(y[r]).toBe(labels[id]);
        seen.add(id);
      });
      tf.dispose([...batch.inputs, batch.labels]);
    }
    // The 4 bona fide items repeat; 12 spoof draws cover all 11 spoof items at least once.
    expect(seen.size).toBe(count);
  });

  it('refuses inputs that do not hold one item per label', () => {
    const data = { inputs: [{ x: new Float32Array(10), itemShape: [3] }], labels: [1, 0, 1] };
    expect(() => [...balancedMultiBatches(data, new Rng(1), { batchSize: 2 })]).toThrow(/input 0 holds 10 values, not 3 items of \[3\]/);
  });
});
