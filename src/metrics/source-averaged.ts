import type { BonafideFlags } from './score-set.js';
import { UserError } from '../util/errors.js';

export interface SourceAccuracy {
  source: string;
  bonafide: boolean;
  n: number;
  /** Fraction of this source's trials called correctly. */
  accuracy: number;
}

export interface SourceAveragedBalancedAccuracy {
  /** Mean of `pristine` and `generated`: the SAFE 2025 challenge metric. */
  value: number;
  /** Mean accuracy over the bona fide (pristine) sources. */
  pristine: number;
  /** Mean accuracy over the spoof (generated) sources. */
  generated: number;
  perSource: SourceAccuracy[];
}

/**
 * SAFE 2025's source-averaged balanced accuracy: the accuracy within each source (each real
 * corpus, each generator), averaged over the pristine sources and over the generated sources
 * separately, then the mean of those two averages, so neither a large source nor the class
 * ratio dominates. A source name that holds both classes is counted as two sources, one per
 * class (SAFE's sources are single-class; this keeps the two averages well defined anyway).
 *
 * `calledBonafide` are hard decisions (e.g. `decide(scores, threshold)` or SAFE's `pred`
 * column); `sources` names each trial's source.
 */
export function sourceAveragedBalancedAccuracy(
  calledBonafide: BonafideFlags,
  isBonafide: BonafideFlags,
  sources: ArrayLike<string>,
): SourceAveragedBalancedAccuracy {
  if (calledBonafide.length !== isBonafide.length || sources.length !== isBonafide.length) {
    throw new UserError(
      `sourceAveragedBalancedAccuracy: ${calledBonafide.length} decisions, ${isBonafide.length} labels and ` +
        `${sources.length} sources; give one of each per trial.`,
    );
  }
  const groups = new Map<string, { source: string; bonafide: boolean; n: number; correct: number }>();
  for (let i = 0; i < isBonafide.length; i++) {
    const bonafide = Boolean(isBonafide[i]);
    const source = sources[i] as string;
    const key = `${bonafide ? 'b' : 's'}\u0000${source}`;
    let group = groups.get(key);
    if (!group) {
      group = { source, bonafide, n: 0, correct: 0 };
      groups.set(key, group);
    }
    group.n++;
    if (Boolean(calledBonafide[i]) === bonafide) group.correct++;
  }
  const perSource = [...groups.values()]
    .map(({ source, bonafide, n, correct }) => ({ source, bonafide, n, accuracy: correct / n }))
    .sort((a, b) => Number(b.bonafide) - Number(a.bonafide) || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  const pristineSources = perSource.filter((s) => s.bonafide);
  const generatedSources = perSource.filter((s) => !s.bonafide);
  if (pristineSources.length === 0 || generatedSources.length === 0) {
    throw new UserError(
      `sourceAveragedBalancedAccuracy: no ${pristineSources.length === 0 ? 'pristine (bona fide)' : 'generated (spoof)'} ` +
        'trials; the metric averages over both kinds of source.',
    );
  }
  const pristine = meanAccuracy(pristineSources);
  const generated = meanAccuracy(generatedSources);
  return { value: (pristine + generated) / 2, pristine, generated, perSource };
}

function meanAccuracy(sources: SourceAccuracy[]): number {
  return sources.reduce((sum, s) => sum + s.accuracy, 0) / sources.length;
}
