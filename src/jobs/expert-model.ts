import type { ResolvedExpert } from '../config/schema/index.js';
import { buildExpert, type BuiltExpert } from '../experts/index.js';
import { canonicalJson } from '../util/hash.js';
import { deriveSeed } from '../util/rng.js';

/**
 * Build one expert of a trial. Its initialisation seed derives from the trial seed and
 * the expert's whole config (replica index included), so the same expert in another trial
 * with the same seed starts from the same weights, and copies in one set do not.
 */
export function buildTrialExpert(expert: ResolvedExpert, itemShape: number[], trialSeed: number, sampleRate: number, name: string): BuiltExpert {
  const seed = deriveSeed(trialSeed, 'expert-init', canonicalJson(expert));
  return buildExpert(
    {
      arch: expert.arch,
      ...(expert.width !== undefined ? { width: expert.width } : {}),
      ...(expert.depth !== undefined ? { depth: expert.depth } : {}),
      ...(expert.embeddingDim !== undefined ? { embeddingDim: expert.embeddingDim } : {}),
      ...(expert.dropout !== undefined ? { dropout: expert.dropout } : {}),
      ...(expert.channels !== undefined ? { channels: expert.channels } : {}),
      ...(expert.embeddingActivation !== undefined ? { embeddingActivation: expert.embeddingActivation } : {}),
      ...(expert.embeddingAt !== undefined ? { embeddingAt: expert.embeddingAt } : {}),
      ...(expert.arch === 'sincnet' ? { sampleRate } : {}),
    },
    itemShape,
    seed,
    { name },
  );
}
