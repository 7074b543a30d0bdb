import { join } from 'node:path';
import type { DatasetItem } from '../../item.js';
import { objectSchema, type DatasetAdapter } from '../adapter.js';
import type { DatasetContext } from '../context.js';
import { readManifest } from './csv-manifest.js';
import { ensureSynthCorpus } from '../../synth/ensure.js';
import { defaultSynthRoot, resolveSizes, SYNTH_VERSION, synthDefaults, synthOptionProperties, type SynthSizes } from '../../synth/options.js';

/**
 * The embedded corpus: generated on first use (no downloads), then read through its
 * manifest like any CSV dataset. Without a root it lives under
 * <results>/corpus/synth-v<version>-s<seed>[-<sizes hash>].
 */
export const synth: DatasetAdapter = {
  name: 'synth',
  layout: 'a generated corpus: <domain>/<split>/*.wav, manifest.csv and corpus.json (root optional: default <results>/corpus/synth-v<version>-s<seed>)',
  splits: 'generated with train/dev/eval; unknown domains (v2: d5-d7, v1: d5, d6) have eval items only',
  optionsSchema: objectSchema({ ...synthOptionProperties }),
  rootOptional: true,
  async load(ctx: DatasetContext): Promise<DatasetItem[]> {
    const seed = ctx.option<number>('seed');
    // A sweep run on an older generator names it (`"version": 1`) and keeps its corpus.
    const version = ctx.option<number | undefined>('version') ?? SYNTH_VERSION;
    const overrides: Partial<SynthSizes> = {};
    for (const key of [...Object.keys(synthDefaults), 'unknownEvalPerClass'] as Array<keyof SynthSizes>) {
      const value = ctx.options[key];
      if (typeof value === 'number') overrides[key] = value;
    }
    const root = ctx.root === '' ? defaultSynthRoot(ctx.resultsDir, seed, overrides, version) : ctx.root;
    ensureSynthCorpus({ root, seed, version, sizes: resolveSizes(overrides, version), log: (message) => ctx.warn(message) });
    return readManifest(ctx, join(root, 'manifest.csv'));
  },
};
