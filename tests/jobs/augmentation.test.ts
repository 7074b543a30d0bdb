import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';
import { writeSweep } from '../search/sweep-fixtures.js';
import { tinyData } from './tiny-sweeps.js';

function trainingLosses(results: string): Map<string, number[]> {
  const db = new Database(join(results, 'ablate.db'), { readonly: true });
  const rows = db
    .prepare(
      `SELECT json_extract(j.inputs, '$.augmentation') AS augmentation, e.epoch, e.value FROM jobs j JOIN epoch_metrics e ON e.job_key = j.key
       WHERE j.kind = 'pretrain' AND e.name = 'loss' ORDER BY j.key, e.epoch`,
    )
    .all() as Array<{ augmentation: string; epoch: number; value: number }>;
  db.close();
  const out = new Map<string, number[]>();
  for (const row of rows) out.set(row.augmentation, [...(out.get(row.augmentation) ?? []), row.value]);
  return out;
}

describe('augmentation in training', () => {
  it('changes what an expert trains on, and is reproducible from the trial seed', () => {
    const dir = tempDir();
    const sweep = writeSweep(dir, {
      name: 'augmented',
      base: {
        kind: 'single',
        experts: [{ arch: 'lcnn', features: { kind: 'mel', nFft: 256, hopLength: 128, nMels: 16 }, width: 0.125, embeddingDim: 8 }],
        pretrain: { epochs: 2, lr: 0.003, batchSize: 8 },
        data: tinyData,
      },
      grid: { 'data.augmentation': [{}, { rawboost: 5, noise: { snrDb: [10, 20] }, specAugment: { freqMasks: 1, freqWidth: 3, timeMasks: 1, timeWidth: 4 } }] },
    });
    const first = join(dir, 'first');
    const second = join(dir, 'second');
    for (const results of [first, second]) expect(runCli(['run', sweep, '--results', results, '--backend', 'wasm', '--quiet']).status).toBe(0);
    const losses = trainingLosses(first);
    expect(losses.size).toBe(2);
    const [clean, augmented] = [...losses.values()];
    expect(clean).toHaveLength(2);
    expect(augmented).toHaveLength(2);
    expect(augmented).not.toEqual(clean);
    // Same sweep, another store: the same augmented draws, so the same training, bit for bit.
    expect(trainingLosses(second)).toEqual(losses);
  });
});
