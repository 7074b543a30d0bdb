import { UserError } from '../../util/errors.js';
import { featureConfigSchema, type FeatureConfig } from '../../config/schema/features.js';
import { checkAgainst } from '../../search/validate.js';

/**
 * A FeatureConfig from JSON text given by a user (`source` names where it came from,
 * e.g. "--params"), checked against the schema; problems become one UserError listing
 * each bad field by its JSON path.
 */
export function parseFeatureConfig(text: string, source: string): FeatureConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${source} is not valid JSON (${error instanceof Error ? error.message : String(error)}). Example: ${source} '{"kind":"mel","nFft":512,"nMels":80}'`);
  }
  const problems = checkAgainst(featureConfigSchema, value);
  if (problems.length > 0) {
    const lines = problems.map((p) => `  ${source}${p.pointer || ' (top level)'}: ${p.message}`);
    throw new UserError(`${source} is not a valid feature config:\n${lines.join('\n')}`);
  }
  return value as FeatureConfig;
}
