import { contentHash } from '../util/hash.js';
import type { TrialConfig } from './schema/index.js';

/** A trial is a fully resolved config; its id is the hash of the config's canonical JSON. */
export interface Trial {
  id: string;
  config: TrialConfig;
}

export function trialId(config: TrialConfig): string {
  return contentHash(config);
}
