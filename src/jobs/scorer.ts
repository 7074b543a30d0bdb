import type { ExpertInputs } from './eval-inputs.js';
import type { SetScores } from './scoring.js';

/**
 * Scores a model's inputs; built once per evaluation job, disposed at its end. Its own module
 * so that the scorers need not import the evaluation job that uses them (an import cycle).
 */
export interface Scorer {
  score(inputs: ExpertInputs): SetScores;
  dispose(): void;
}
