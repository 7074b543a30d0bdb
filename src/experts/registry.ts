import { UserError } from '../util/errors.js';
import { buildLcnn } from './lcnn.js';
import type { BuiltExpert, ExpertBuilder } from './registry-types.js';
import { buildResnet } from './resnet.js';
import { buildSincnet } from './sincnet.js';
import { type ExpertArch, type ExpertSpec, resolveExpertSpec } from '../config/expert-spec.js';

export type { BuiltExpert, ExpertBuilder, ExpertBuildOptions } from './registry-types.js';

/** Name -> builder. Later architectures register here. */
export const experts = new Map<ExpertArch, ExpertBuilder>([
  ['lcnn', buildLcnn],
  ['resnet', buildResnet],
  ['sincnet', buildSincnet],
]);

export interface BuildExpertOptions {
  /** Model name and layer-name prefix (default: the arch); unique per expert in a mixture. */
  name?: string;
  /** JSON path of the spec in the sweep, for error messages. */
  specPath?: string;
}

/**
 * Build an expert: a tf.LayersModel from an input of `inputShape` ([bins, frames] for
 * spectral experts, [samples] for sincnet) to [embedding, logits], initialised from `seed`
 * alone (two builds with the same seed have identical weights).
 */
export function buildExpert(spec: ExpertSpec, inputShape: number[], seed: number, options: BuildExpertOptions = {}): BuiltExpert {
  const resolved = resolveExpertSpec(spec, options.specPath);
  const builder = experts.get(resolved.arch);
  if (builder === undefined) throw new UserError(`${options.specPath ?? 'expert'}.arch: no builder registered for "${resolved.arch}"`);
  const name = options.name ?? resolved.arch;
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new UserError(`expert name "${name}" must start with a letter and use only letters, digits and _`);
  try {
    return builder(resolved, inputShape, { name, seed });
  } catch (error) {
    // Shape problems are the user's (wrong features for this expert): say where the spec is.
    if (error instanceof UserError) throw new UserError(`${options.specPath ?? 'expert'}: ${error.message}`);
    throw error;
  }
}
