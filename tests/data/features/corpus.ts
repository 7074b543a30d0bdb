import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import wav from 'node-wav';
import { Rng } from '../../../src/util/rng.js';
import type { DatasetItem } from '../../../src/data/item.js';

/**
 * A small real corpus on disk: 16-bit WAV files (written with node-wav) of seeded noisy
 * tones, of different lengths and rates, so crops, tiling and resampling all happen.
 */
export function writeCorpus(dir: string, count: number, seed = 1): DatasetItem[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const sampleRate = i % 4 === 3 ? 22050 : 16000;
    const seconds = 0.4 + rng.uniform() * 1.6;
    const hz = 200 + rng.uniform() * 3000;
    const samples = Float32Array.from({ length: Math.round(seconds * sampleRate) }, (_, n) => 0.3 * Math.sin((2 * Math.PI * hz * n) / sampleRate) + 0.05 * rng.normal());
    const path = join(dir, `utt${i}.wav`);
    writeFileSync(path, wav.encode([samples], { sampleRate, float: false, bitDepth: 16 }));
    return { id: `utt${i}`, path, label: i % 2 === 0 ? 'bonafide' : 'spoof', dataset: 'test', domain: 'test', split: 'train' };
  });
}
