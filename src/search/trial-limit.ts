import { UserError } from '../util/errors.js';

/** Trials a sweep may expand to unless ABLATE_MAX_TRIALS says otherwise. */
export const defaultMaxTrials = 100_000;

/**
 * The cap on a sweep's size. Every trial is resolved, hashed, planned and stored, so a grid
 * of 10 million points ran `plan` out of memory (4.6 GB) after minutes; the count is known
 * before the product is built, so it is refused up front, with the count and how to raise
 * the cap for a sweep that really is that large.
 */
export class TrialLimit {
  readonly max: number;

  constructor(
    private readonly seeds: number,
    private readonly includes: number,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.max = maxTrialsFrom(env);
  }

  /** Throws when `gridPoints` (plus the includes), each run once per seed, exceed the cap. */
  check(gridPoints: number): void {
    const trials = (gridPoints + this.includes) * this.seeds;
    if (trials <= this.max) return;
    throw new UserError(
      `the grid expands to ${trials.toLocaleString('en-US')} trials (${gridPoints.toLocaleString('en-US')} grid points` +
        `${this.includes > 0 ? ` and ${this.includes} includes` : ''}, ${this.seeds} seed(s) each), more than the limit of ${this.max.toLocaleString('en-US')}. ` +
        `Narrow the grid (fewer axes or levels, or conditional axes with "when"), or raise the limit with the environment variable ABLATE_MAX_TRIALS=<n>.`,
    );
  }
}

function maxTrialsFrom(env: NodeJS.ProcessEnv): number {
  const text = env['ABLATE_MAX_TRIALS'];
  if (text === undefined || text === '') return defaultMaxTrials;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UserError(`ABLATE_MAX_TRIALS=${text}: expected a whole number of trials, at least 1 (default ${defaultMaxTrials}).`);
  }
  return Number(text);
}
