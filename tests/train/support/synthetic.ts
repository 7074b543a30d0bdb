import { Rng } from '../../../src/util/rng.js';
import type { LabelledArray } from '../../../src/train/batches.js';

/**
 * Small separable problems, generated from a seed. Spectral: bona fide items carry a
 * horizontal stripe (a band of raised energy) in the lower third of the bins, spoof
 * items in the upper third, each with a jittered position and strong noise; a linear
 * read-out of band energies separates them, so any working expert must.
 */
export function stripeSpectra(count: number, bins: number, frames: number, seed: number): LabelledArray {
  const rng = new Rng(seed);
  const x = new Float32Array(count * bins * frames);
  const labels = new Uint8Array(count);
  for (let item = 0; item < count; item++) {
    const bonafide = item % 2 === 0;
    labels[item] = bonafide ? 1 : 0;
    const third = Math.floor(bins / 3);
    const centre = (bonafide ? 0 : 2 * third) + rng.int(third);
    for (let b = 0; b < bins; b++) {
      const stripe = Math.abs(b - centre) <= 1 ? 1.5 : 0;
      for (let f = 0; f < frames; f++) x[(item * bins + b) * frames + f] = stripe + rng.normal();
    }
  }
  return { x, itemShape: [bins, frames], labels };
}

/**
 * Waveforms: bona fide a tone at 1000-1200 Hz, spoof at 1200-1400 Hz, random phase, in
 * noise: close enough that an untrained filter bank does not separate them by chance.
 */
export function toneWaves(count: number, samples: number, sampleRate: number, seed: number): LabelledArray {
  const rng = new Rng(seed);
  const x = new Float32Array(count * samples);
  const labels = new Uint8Array(count);
  for (let item = 0; item < count; item++) {
    const bonafide = item % 2 === 0;
    labels[item] = bonafide ? 1 : 0;
    const frequency = bonafide ? rng.between(1000, 1200) : rng.between(1200, 1400);
    const phase = rng.between(0, 2 * Math.PI);
    for (let t = 0; t < samples; t++) x[item * samples + t] = 0.5 * Math.sin((2 * Math.PI * frequency * t) / sampleRate + phase) + 0.3 * rng.normal();
  }
  return { x, itemShape: [samples], labels };
}
