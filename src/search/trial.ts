import type { TrialConfig } from '../config/schema/index.js';

/** A trial is a fully resolved config; its id is the hash of the config's canonical JSON. */
export interface Trial {
  id: string;
  config: TrialConfig;
  /**
   * The config without its seed, one object shared by the trials of a grid point (set by
   * expansion, absent on trials read back from elsewhere): lets the planner hash what the
   * trials of a point have in common once.
   */
  base?: TrialConfig;
}
