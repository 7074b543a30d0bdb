import { UserError } from '../../util/errors.js';
import type { KeyFile } from './read-keys.js';
import type { ScoreFile } from './read-scores.js';

/** Scored trials with their labels, in score-file order. */
export interface ScoredTrials {
  ids: string[];
  scores: Float64Array;
  isBonafide: Uint8Array;
  /** Attack / source per trial where the keys have one. */
  sources: string[] | null;
}

/**
 * Match every score to its key by trial name, as the eval packages do (ASVspoof 5 requires the
 * two files to hold the same trials; the 2021 package requires as many scores as keys). A
 * scored trial with no key, a trial scored twice and a key with no score are all errors. With `subset` (ASVspoof
 * 2021's column 8: progress, eval, hidden_track) only that subset is then kept, as the 2021
 * package keeps one phase after the check.
 */
export function joinScoresAndKeys(scoreFile: ScoreFile, keyFile: KeyFile, options: { subset?: string } = {}): ScoredTrials {
  const keyOf = new Int32Array(scoreFile.ids.length);
  const unkeyed: number[] = [];
  const scoredBy = new Int32Array(keyFile.ids.length).fill(-1);
  for (let i = 0; i < scoreFile.ids.length; i++) {
    const k = keyFile.index.get(scoreFile.ids[i] as string);
    if (k === undefined) unkeyed.push(i);
    else if (scoredBy[k] !== -1) {
      throw new UserError(
        `${scoreFile.path} line ${scoreFile.lines[i]}: trial "${scoreFile.ids[i]}" is scored twice ` +
          `(first on line ${scoreFile.lines[scoredBy[k] as number]}); give each trial exactly one score.`,
      );
    } else {
      keyOf[i] = k;
      scoredBy[k] = i;
    }
  }
  if (unkeyed.length > 0) {
    const first = unkeyed[0] as number;
    throw new UserError(
      `${scoreFile.path} line ${scoreFile.lines[first]}: trial "${scoreFile.ids[first]}" has no key in ${keyFile.path}` +
        `${othersNote(unkeyed.length, 'scored trials have no key', unkeyed.slice(1, 4).map((i) => scoreFile.ids[i] as string))}. ` +
        'Score the trials the keys list, or give the keys of this evaluation set.',
    );
  }
  const unscored: number[] = [];
  for (let k = 0; k < scoredBy.length; k++) if (scoredBy[k] === -1) unscored.push(k);
  if (unscored.length > 0) {
    const first = unscored[0] as number;
    throw new UserError(
      `${keyFile.path} line ${keyFile.lines[first]}: trial "${keyFile.ids[first]}" has no score in ${scoreFile.path}` +
        `${othersNote(unscored.length, 'keyed trials have no score', unscored.slice(1, 4).map((k) => keyFile.ids[k] as string))}` +
        ` (${scoreFile.ids.length} scores for ${keyFile.ids.length} keys). Score every trial of the set.`,
    );
  }

  let chosen = Array.from({ length: scoreFile.ids.length }, (_, i) => i);
  if (options.subset !== undefined) chosen = selectSubset(chosen, keyOf, keyFile, options.subset);
  const sources = keyFile.sources;
  return {
    ids: chosen.map((i) => scoreFile.ids[i] as string),
    scores: Float64Array.from(chosen, (i) => scoreFile.scores[i] as number),
    isBonafide: Uint8Array.from(chosen, (i) => keyFile.isBonafide[keyOf[i] as number] as number),
    sources: sources ? chosen.map((i) => sources[keyOf[i] as number] as string) : null,
  };
}

function selectSubset(chosen: number[], keyOf: Int32Array, keyFile: KeyFile, subset: string): number[] {
  const subsets = keyFile.subsets;
  if (!subsets) {
    throw new UserError(`--subset ${subset}: ${keyFile.path} has no subset column (read as ${keyFile.description}); only ASVspoof 2021 trial_metadata keys have one.`);
  }
  const kept = chosen.filter((i) => subsets[keyOf[i] as number] === subset);
  if (kept.length === 0) {
    const present = [...new Set(subsets)].sort().join(', ');
    throw new UserError(`--subset ${subset}: no trial of ${keyFile.path} is in that subset; the subsets present are ${present}.`);
  }
  return kept;
}

function othersNote(count: number, what: string, examples: string[]): string {
  if (count === 1) return '';
  return ` (${count} ${what}; others: ${examples.map((id) => `"${id}"`).join(', ')}${count - 1 > examples.length ? ', ...' : ''})`;
}

/**
 * The checks the ASVspoof scorers make before computing anything: both classes present, and at
 * least 3 distinct scores (compute_tDCF: "You should provide soft CM scores - not binary
 * decisions"). NaN/inf were refused while reading.
 */
export function checkScoreable(trials: ScoredTrials, scoresPath: string, keysPath: string): void {
  let nBonafide = 0;
  for (const flag of trials.isBonafide) nBonafide += flag;
  const nSpoof = trials.isBonafide.length - nBonafide;
  if (nBonafide === 0 || nSpoof === 0) {
    throw new UserError(
      `${keysPath}: the ${trials.ids.length} scored trials are all ${nBonafide === 0 ? 'spoof' : 'bona fide'}; EER and the other ` +
        'metrics need both bonafide and spoof trials. Score a set with both classes.',
    );
  }
  const distinct: number[] = [];
  for (const score of trials.scores) {
    if (!distinct.includes(score)) distinct.push(score);
    if (distinct.length >= 3) return;
  }
  throw new UserError(
    `${scoresPath}: only ${distinct.length} distinct score value${distinct.length === 1 ? '' : 's'} (${distinct.join(', ')}); ` +
      'give soft scores, not binary decisions (the ASVspoof scorers require at least 3 distinct values).',
  );
}
