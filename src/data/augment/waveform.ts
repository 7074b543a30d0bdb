import type { Rng } from '../../util/rng.js';
import type { AugmentConfig } from './config.js';
import { addNoise } from './noise.js';
import { rawboost } from './rawboost.js';

/**
 * The waveform augmentations of a config, in order: RawBoost, then additive noise (with
 * its probability). Each stage draws from its own fork of `rng`, so switching one stage on
 * or off leaves the other's draws unchanged. Returns a new array.
 */
export function augmentWaveform(samples: Float32Array, sampleRate: number, config: AugmentConfig, rng: Rng): Float32Array {
  let out = samples;
  const algorithm = config.rawboost ?? 0;
  if (algorithm !== 0) out = rawboost(out, sampleRate, algorithm, rng.fork('rawboost'));
  if (config.noise !== undefined) {
    const noiseRng = rng.fork('noise');
    if (noiseRng.uniform() < (config.noise.probability ?? 1)) out = addNoise(out, config.noise.snrDb, noiseRng);
  }
  return out === samples ? Float32Array.from(samples) : out;
}
