import { join } from 'node:path';
import { contentHash } from '../../util/hash.js';

/**
 * Bump when a change to the generator changes its output; it is part of the folder name
 * and of every clip's random seeds. Older versions stay generable (`version` option), so a
 * sweep that pins one keeps reading the corpus it was run on.
 */
export const SYNTH_VERSION = 2;
// 3 is opt-in: sweeps name it (mile-grid does). The default stays 2 because job keys hash the
// adapter options as written, so a new default would let a v2 store reuse its features for v3.
export const SYNTH_VERSIONS: readonly number[] = [1, 2, 3];

/** Corpus size and format. Counts are per class, per domain; unknown domains get evaluation items only. */
export interface SynthSizes {
  trainPerClass: number;
  devPerClass: number;
  evalPerClass: number;
  /**
   * Test clips per class in each unknown domain, when it differs from evalPerClass: the
   * unknown-domain EER is the one a grid decides on, so it needs the most clips.
   */
  unknownEvalPerClass?: number;
  clipSeconds: number;
  sampleRate: number;
}

/**
 * Defaults: about 1 s clips, 120 training, 40 validation and 60 test clips per known
 * domain, 60 test clips per unknown domain: 1060 clips (v1: 1000), about 34 MB. A sweep
 * that decides between configurations asks for more test clips (sweeps/mile-grid.json:
 * 300 per class, docs/CORPUS.md says why).
 */
export const synthDefaults: Readonly<SynthSizes> = {
  trainPerClass: 60,
  devPerClass: 20,
  evalPerClass: 30,
  clipSeconds: 1,
  sampleRate: 16000,
};

/** Every version so far shares the defaults; a folder name's size hash is relative to its version's. */
export function synthDefaultsFor(_version: number): Readonly<SynthSizes> {
  return synthDefaults;
}

export const synthOptionProperties = {
  version: { enum: SYNTH_VERSIONS, default: SYNTH_VERSION, description: `generator version (default ${SYNTH_VERSION}); 1 reproduces corpora made before v2 (docs/CORPUS.md).` },
  seed: { type: 'integer', minimum: 0, default: 0, description: 'seed of the generated corpus.' },
  trainPerClass: { type: 'integer', minimum: 0, maximum: 5000, description: `training clips per class and known domain (default ${synthDefaults.trainPerClass}).` },
  devPerClass: { type: 'integer', minimum: 0, maximum: 5000, description: `validation clips per class and known domain (default ${synthDefaults.devPerClass}).` },
  evalPerClass: { type: 'integer', minimum: 1, maximum: 5000, description: `test clips per class and domain (default ${synthDefaults.evalPerClass}).` },
  unknownEvalPerClass: { type: 'integer', minimum: 1, maximum: 5000, description: 'test clips per class in each unknown domain (default: evalPerClass).' },
  clipSeconds: { type: 'number', minimum: 0.25, maximum: 10, description: `mean clip length, seconds (default ${synthDefaults.clipSeconds}).` },
  sampleRate: { enum: [8000, 16000, 22050, 24000, 32000, 44100, 48000], description: `sample rate (default ${synthDefaults.sampleRate}).` },
} as const;

export function resolveSizes(overrides: Partial<SynthSizes> = {}, version = SYNTH_VERSION): SynthSizes {
  const sizes = { ...synthDefaultsFor(version) };
  for (const key of Object.keys(synthDefaults) as Array<keyof SynthSizes>) {
    const value = overrides[key];
    if (value !== undefined) sizes[key] = value;
  }
  // Only when asked for: corpora made without it keep their description and folder name.
  if (overrides.unknownEvalPerClass !== undefined) sizes.unknownEvalPerClass = overrides.unknownEvalPerClass;
  return sizes;
}

/**
 * Folder name of a corpus: version and seed, plus a hash of the sizes when they differ
 * from the defaults (so two sweeps asking for different sizes never share a folder).
 */
export function synthFolderName(seed: number, sizes: SynthSizes, version = SYNTH_VERSION): string {
  const base = `synth-v${version}-s${seed}`;
  const defaults = synthDefaultsFor(version);
  const changed = sizes.unknownEvalPerClass !== undefined || (Object.keys(defaults) as Array<keyof SynthSizes>).some((key) => sizes[key] !== defaults[key]);
  return changed ? `${base}-${contentHash(sizes, 8)}` : base;
}

/** Where the `synth` adapter keeps a corpus when the sweep names no root. */
export function defaultSynthRoot(resultsDir: string, seed = 0, overrides: Partial<SynthSizes> = {}, version = SYNTH_VERSION): string {
  return join(resultsDir, 'corpus', synthFolderName(seed, resolveSizes(overrides, version), version));
}
