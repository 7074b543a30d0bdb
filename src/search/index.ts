import { loadSweep, type LoadedSweep } from './load-sweep.js';
import { expandSweep, type SearchSpace } from './space.js';
import { planSweep, type Plan } from './plan.js';

export { loadSweep, expandSweep, planSweep };
export type { LoadedSweep, SearchSpace, Plan };
export type { JobSpec, JobKind, TrialPlan } from './plan.js';
export { jobKinds } from './plan.js';
export type { Trial } from './trial.js';
export { trialView, expertLabel } from './trial-view.js';
export * from '../config/schema/index.js';

/** Read, validate, expand and plan a sweep file in one call. */
export function planFromFile(file: string): Plan {
  return planSweep(expandSweep(loadSweep(file)));
}
