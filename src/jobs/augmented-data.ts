import type { AugmentationConfig, ResolvedExpert } from '../config/schema/index.js';
import { augmentationRng, augmentWaveform, hasAugmentation, hasWaveformAugmentation, specAugment } from '../data/augment/index.js';
import { featureExtractor } from '../data/features/index.js';
import { clipPolicy, featuresFor, type JobData } from './job-data.js';
import type { ExpertInputs } from './eval-inputs.js';
import { DEFAULT_SAMPLE_RATE } from '../config/schema/data.js';

/** One training input per feature config, for one epoch (same items and order as the clean ones). */
export type EpochInputs = (epoch: number) => Float32Array[];

/**
 * Training data that changes every epoch: each item's clip augmented (RawBoost, noise) and
 * its features recomputed, then SpecAugment masks, all drawn from a seed of (trial seed,
 * item, epoch), so a resumed job augments exactly as an uninterrupted one. With
 * `cache: true` every epoch reuses epoch 0's variants. Null without augmentation.
 */
export async function epochAugmenter(
  augmentation: AugmentationConfig | undefined,
  experts: readonly ResolvedExpert[],
  clean: ExpertInputs,
  data: JobData,
  seed: number,
  resultsDir: string,
): Promise<EpochInputs | null> {
  if (!augmentation || !hasAugmentation(augmentation)) return null;
  const sampleRate = data.sampleRate ?? DEFAULT_SAMPLE_RATE;
  const configs = clean.inputs.map((_, index) => experts[clean.inputIndex.indexOf(index)]?.features as ResolvedExpert['features']);
  // The waveform of the same training window the clean features came from (same clip policy).
  const waves = hasWaveformAugmentation(augmentation) ? await featuresFor(data, clean.items, { kind: 'waveform' }, clipPolicy(data, 'train'), resultsDir) : null;
  const memo = new Map<number, Float32Array[]>();
  return (epoch) => {
    const key = augmentation.cache === true ? 0 : epoch;
    const known = memo.get(key);
    if (known) return known;
    const out = clean.inputs.map((input) => new Float32Array(input.x.length));
    clean.ids.forEach((id, item) => {
      const rng = augmentationRng(augmentation, seed, id, epoch);
      let wave: Float32Array | null = null;
      if (waves) {
        const length = waves.itemShape[0] as number;
        wave = augmentWaveform(waves.x.subarray(item * length, (item + 1) * length), sampleRate, augmentation, rng.fork('waveform'));
      }
      clean.inputs.forEach((input, index) => {
        const size = input.x.length / clean.ids.length;
        const config = configs[index] as ResolvedExpert['features'];
        let features: Float32Array;
        if (config.kind === 'waveform') features = wave ?? input.x.subarray(item * size, (item + 1) * size);
        else {
          features = wave ? featureExtractor(config, sampleRate).compute(wave).data : input.x.subarray(item * size, (item + 1) * size);
          if (augmentation.specAugment) features = specAugment(features, input.itemShape as [number, number], augmentation.specAugment, rng.fork(`spec-${index}`));
        }
        (out[index] as Float32Array).set(features, item * size);
      });
    });
    // Only the cached variant is kept; per-epoch data is made afresh and dropped after use.
    if (augmentation.cache === true) memo.set(key, out);
    return out;
  };
}
