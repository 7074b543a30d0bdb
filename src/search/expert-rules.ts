import type { Json, JsonObject } from './paths.js';

/** The ResNet's stages when a sweep gives no `depth` (src/config/expert-spec.ts builds the same). */
const RESNET_DEPTH = [2, 2, 2, 2];

/**
 * Cross-field rules of an expert that JSON Schema cannot state, checked when the trial is
 * resolved so `plan` refuses the sweep with the expert's JSON path instead of a job failing
 * mid-run. The model builder (src/config/expert-spec.ts) checks the same again for experts built
 * outside a sweep; issue 14's one resolved config will hold both.
 */
export function expertRuleProblem(experts: readonly Json[]): { pointer: string; message: string } | null {
  for (const [index, value] of experts.entries()) {
    const expert = value as JsonObject;
    const at = `/experts/${index}`;
    const arch = expert['arch'];
    const channels = expert['channels'] as number[] | undefined;
    if (channels !== undefined) {
      if (arch !== 'resnet') return { pointer: `${at}/channels`, message: `explicit channels are for the resnet, not the ${String(arch)} (use width to resize it)` };
      const depth = (expert['depth'] as number[] | undefined) ?? RESNET_DEPTH;
      if (channels.length !== depth.length) {
        return { pointer: `${at}/channels`, message: `one channel count per stage of depth [${depth.join(', ')}]: expected ${depth.length}, got ${channels.length} ([${channels.join(', ')}])` };
      }
    }
    const activation = expert['embeddingActivation'];
    if (activation !== undefined && (arch === 'lcnn') !== (activation === 'mfm')) {
      return { pointer: `${at}/embeddingActivation`, message: arch === 'lcnn' ? 'the LCNN\'s embedding is its max-feature-map: "mfm"' : `"mfm" is the LCNN's; the ${String(arch)} takes relu, leaky-relu or none` };
    }
    if (expert['embeddingAt'] === 'after-norm' && arch !== 'lcnn') {
      return { pointer: `${at}/embeddingAt`, message: `only the LCNN has a normalisation after its embedding; the ${String(arch)} takes "before-norm"` };
    }
  }
  return null;
}
