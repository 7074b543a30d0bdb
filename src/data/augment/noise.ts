import type { Rng } from '../../util/rng.js';

/**
 * Add white Gaussian noise at an SNR drawn uniformly from `snrRange` (dB), measured over
 * the whole clip. Returns a new array and the SNR used. A silent clip has no defined SNR
 * and comes back unchanged.
 */
export function addNoise(samples: Float32Array, snrRange: readonly [number, number], rng: Rng): Float32Array {
  return addNoiseWithSnr(samples, snrRange, rng).samples;
}

export function addNoiseWithSnr(samples: Float32Array, snrRange: readonly [number, number], rng: Rng): { samples: Float32Array; snrDb: number | null } {
  const [low, high] = snrRange;
  if (!(low <= high)) throw new RangeError(`noise SNR range must be [min, max] with min <= max (got [${low}, ${high}])`);
  const snrDb = rng.between(low, high);
  let signalPower = 0;
  for (const v of samples) signalPower += v * v;
  if (signalPower === 0) return { samples: Float32Array.from(samples), snrDb: null };
  const noise = new Float64Array(samples.length);
  let noisePower = 0;
  for (let i = 0; i < noise.length; i++) {
    const v = rng.normal();
    noise[i] = v;
    noisePower += v * v;
  }
  // Scale the drawn noise itself (not its expected power) so the SNR is exact.
  const scale = Math.sqrt(signalPower / noisePower / 10 ** (snrDb / 10));
  const out = new Float32Array(samples.length);
  for (let i = 0; i < out.length; i++) out[i] = (samples[i] as number) + scale * (noise[i] as number);
  return { samples: out, snrDb };
}
