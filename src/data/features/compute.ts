import { canonicalJson } from '../../util/hash.js';
import type { FeatureConfig } from '../../config/schema/features.js';
import { resolveFeatureConfig } from './config.js';
import { FeatureExtractor, type FeatureMatrix } from './extractor.js';

/** Planned extractors by resolved config; a sweep uses a handful, so a small map suffices. */
const byResolved = new Map<string, FeatureExtractor>();
/** Fast path for the usual call pattern: the same config object for every clip. */
const byObject = new WeakMap<FeatureConfig, Map<number, FeatureExtractor>>();
const MAX_CACHED = 32;

/** The (cached) extractor for `config` at `sampleRate`: plan once, compute many clips. */
export function featureExtractor(config: FeatureConfig, sampleRate: number): FeatureExtractor {
  let perRate = byObject.get(config);
  const known = perRate?.get(sampleRate);
  if (known !== undefined) return known;
  const resolved = resolveFeatureConfig(config, sampleRate);
  const key = canonicalJson(resolved);
  let extractor = byResolved.get(key);
  if (extractor === undefined) {
    if (byResolved.size >= MAX_CACHED) byResolved.delete(byResolved.keys().next().value as string);
    extractor = new FeatureExtractor(resolved);
    byResolved.set(key, extractor);
  }
  // Configs are plain data and treated as immutable once used (as everywhere in ablate).
  if (perRate === undefined) byObject.set(config, (perRate = new Map()));
  perRate.set(sampleRate, extractor);
  return extractor;
}

/**
 * One feature matrix for mono `samples` at `sampleRate`: row-major bins x frames
 * (torchaudio's orientation); kind 'waveform' gives [1, samples].
 */
export function computeFeatures(samples: Float32Array, sampleRate: number, config: FeatureConfig): FeatureMatrix {
  return featureExtractor(config, sampleRate).compute(samples);
}

/** The shape computeFeatures returns for a signal of `samples` samples, without computing it. */
export function featureShape(samples: number, sampleRate: number, config: FeatureConfig): [number, number] {
  return featureExtractor(config, sampleRate).shape(samples);
}
