import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/nn/backend.js';
import type { LabelledArray } from '../../src/train/batches.js';
import { centreCrop, croppedBatches, croppedMultiBatches } from '../../src/train/draw-crops.js';
import { Rng } from '../../src/util/rng.js';

beforeAll(async () => {
  await initBackend('wasm');
});

/** 3 bona fide and 9 spoof items of [2 bins, 40 frames]; value = 1000 x item + 100 x bin + frame. */
const FRAMES = 40;
function pool(): LabelledArray {
  const x = new Float32Array(12 * 2 * FRAMES);
  for (let item = 0; item < 12; item++) for (let bin = 0; bin < 2; bin++) for (let t = 0; t < FRAMES; t++) x[(item * 2 + bin) * FRAMES + t] = 1000 * item + 100 * bin + t;
  return { x, itemShape: [2, FRAMES], labels: Array.from({ length: 12 }, (_, i) => (i < 3 ? 1 : 0)) };
}

/** Each draw as [item, first frame], after checking it is one contiguous window of that item in both bins. */
function draws(seed: number, epoch: number, loopRng = new Rng(1)): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const batch of croppedBatches(pool(), loopRng, { batchSize: 6 }, seed, epoch, 10)) {
    expect(batch.x.shape).toEqual([6, 2, 10]);
    const values = batch.x.arraySync() as number[][][];
    for (const item of values) {
      const id = Math.floor((item[0]![0] as number) / 1000);
      const start = (item[0]![0] as number) - 1000 * id;
      expect(item[0]).toEqual(Array.from({ length: 10 }, (_, t) => 1000 * id + start + t));
      expect(item[1]).toEqual(Array.from({ length: 10 }, (_, t) => 1000 * id + 100 + start + t));
      out.push([id, start]);
    }
    tf.dispose([batch.x, batch.labels]);
  }
  return out;
}

describe('data.cropPoolSeconds: a fresh crop per draw (#16 item 5)', () => {
  it('cuts every draw to the model length at its own position: epochs differ, reruns and resumes repeat', () => {
    const first = draws(7, 0);
    const second = draws(7, 1);
    // The bona fide items are drawn 3 times an epoch (2 batches x 3): the repeats get other windows.
    const starts = first.filter(([id]) => id === 0).map(([, start]) => start);
    expect(new Set(starts).size).toBeGreaterThan(1);
    expect(second.map(([, s]) => s)).not.toEqual(first.map(([, s]) => s));
    expect(draws(7, 1)).toEqual(second);
    // Positions depend on (seed, epoch) alone, not on the loop's rng (whose state a resume restores):
    // other rows from another loop rng, the same windows draw by draw.
    const otherRows = draws(7, 1, new Rng(99));
    expect(otherRows.map(([id]) => id)).not.toEqual(second.map(([id]) => id));
    expect(otherRows.map(([, s]) => s)).toEqual(second.map(([, s]) => s));
    expect(draws(8, 1).map(([, s]) => s)).not.toEqual(second.map(([, s]) => s));
    // Over two epochs the windows spread over the whole slack of 30 frames.
    const all = [...first, ...second].map(([, s]) => s);
    expect(Math.min(...all)).toBeLessThan(10);
    expect(Math.max(...all)).toBeGreaterThan(20);
  });

  it("a mixture's inputs are cut at the same point in time, whatever their hop", () => {
    const fine = pool();
    // A second front end at half the frame rate: 20 frames, value = 1000 x item + frame.
    const coarse = { x: Float32Array.from({ length: 12 * 20 }, (_, i) => 1000 * Math.floor(i / 20) + (i % 20)), itemShape: [20] };
    for (const batch of croppedMultiBatches({ inputs: [fine, coarse], labels: fine.labels }, new Rng(3), { batchSize: 4, stepsPerEpoch: 2 }, 5, 0, [10, 5])) {
      const a = batch.inputs[0]!.arraySync() as number[][][];
      const b = batch.inputs[1]!.arraySync() as number[][];
      a.forEach((item, i) => {
        const startFine = (item[0]![0] as number) % 1000;
        const startCoarse = (b[i]![0] as number) % 1000;
        // Positions are fractions of the slack (30 and 15 frames): the same time within a frame.
        expect(Math.abs(startFine / 2 - startCoarse)).toBeLessThanOrEqual(1);
      });
      tf.dispose([...batch.inputs, batch.labels]);
    }
  });

  it('recalibration sees the centre windows', () => {
    const centre = centreCrop(pool(), 10);
    expect(centre.itemShape).toEqual([2, 10]);
    expect(Array.from(centre.x.subarray(0, 10))).toEqual(Array.from({ length: 10 }, (_, t) => 15 + t));
  });
});
