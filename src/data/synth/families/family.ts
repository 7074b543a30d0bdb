import type { Rng } from '../../../util/rng.js';
import type { RenderStyle } from '../render.js';
import type { UtterancePlan } from '../script.js';
import type { Voice } from '../voice.js';
import type { StatisticName } from '../analysis.js';

/** What a family gets to make one spoofed utterance. */
export interface FamilyInput {
  plan: UtterancePlan;
  voice: Voice;
  sampleRate: number;
  rng: Rng;
  /** The natural renderer, with an optional style and sample rate. */
  render(style?: Partial<RenderStyle>, sampleRate?: number, rng?: Rng): Float64Array;
}

/**
 * A generator family: one way of making speech that leaves one class of artefact. Each
 * names the detector-free statistic that exposes its artefact and which way it moves.
 */
export interface SpoofFamily {
  name: string;
  /** What the artefact is, in a sentence (docs/CORPUS.md, corpus.json). */
  artefact: string;
  evidence: { statistic: StatisticName; spoof: 'higher' | 'lower' };
  synthesize(input: FamilyInput): Float64Array;
}
