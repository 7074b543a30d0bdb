import { isAbsolute, join } from 'node:path';
import type { DatasetItem, Label } from '../item.js';
import { statistics, trivialFeatures, type StatisticName } from './analysis.js';
import type { SynthCorpusDescription } from './corpus.js';
import { decodeAudioFile } from '../audio/index.js';

export interface ClassSummary {
  count: number;
  durationSeconds: number;
  rmsDb: number;
  leadingSilenceSeconds: number;
  evidence: number;
}

export interface DomainStatistics {
  domain: string;
  known: boolean;
  family: string;
  statistic: StatisticName;
  spoofDirection: 'higher' | 'lower';
  classes: Record<Label, ClassSummary>;
  /** Probability that a random spoof's statistic lies on the artefact's side of a random bona fide's. */
  evidenceAuc: number;
  /**
   * The same AUC for the artefact statistic of every known family, each oriented the way
   * its own family moves it: whether what d1-d4 teach separates this domain's classes.
   */
  knownEvidence: KnownEvidence[];
}

export interface KnownEvidence {
  /** The known domain whose family names the statistic. */
  teacher: string;
  statistic: StatisticName;
  spoofDirection: 'higher' | 'lower';
  auc: number;
}

/**
 * Per-domain statistics of a generated corpus (read back from its files): class means of
 * the trivial features and of the domain's artefact statistic, and how well that
 * statistic alone separates the classes, and with `transfer` the same for every known
 * family's statistic. For documentation and `ablate data synth --stats`.
 */
export async function corpusStatistics(
  root: string,
  description: SynthCorpusDescription,
  items: readonly DatasetItem[],
  options: { transfer?: boolean } = {},
): Promise<DomainStatistics[]> {
  const table: DomainStatistics[] = [];
  // The transfer table costs up to four statistics per clip instead of one: only when asked.
  const teachers = options.transfer === true ? description.domains.filter((d) => d.known) : [];
  for (const domain of description.domains) {
    const statistic = domain.evidence.statistic as StatisticName;
    const values: Record<Label, number[]> = { bonafide: [], spoof: [] };
    const taught = teachers.map(() => ({ bonafide: [] as number[], spoof: [] as number[] }));
    const sums: Record<Label, ClassSummary> = {
      bonafide: { count: 0, durationSeconds: 0, rmsDb: 0, leadingSilenceSeconds: 0, evidence: 0 },
      spoof: { count: 0, durationSeconds: 0, rmsDb: 0, leadingSilenceSeconds: 0, evidence: 0 },
    };
    for (const item of items.filter((i) => i.domain === domain.name)) {
      const { samples, sampleRate } = await decodeAudioFile(isAbsolute(item.path) ? item.path : join(root, item.path));
      const trivial = trivialFeatures(samples, sampleRate);
      const computed = new Map<StatisticName, number>();
      const measure = (name: StatisticName): number => {
        if (!computed.has(name)) computed.set(name, statistics[name](samples, sampleRate));
        return computed.get(name) as number;
      };
      const value = measure(statistic);
      teachers.forEach((teacher, t) => taught[t]?.[item.label].push(measure(teacher.evidence.statistic as StatisticName)));
      const sum = sums[item.label];
      sum.count++;
      sum.durationSeconds += trivial.durationSeconds;
      sum.rmsDb += trivial.rmsDb;
      sum.leadingSilenceSeconds += trivial.leadingSilenceSeconds;
      sum.evidence += value;
      values[item.label].push(value);
    }
    for (const sum of Object.values(sums)) {
      const n = Math.max(1, sum.count);
      sum.durationSeconds /= n;
      sum.rmsDb /= n;
      sum.leadingSilenceSeconds /= n;
      sum.evidence /= n;
    }
    const direction = domain.evidence.spoof;
    const auc = orientedAuc(values, direction);
    const knownEvidence = teachers.map((teacher, t) => ({
      teacher: teacher.name,
      statistic: teacher.evidence.statistic as StatisticName,
      spoofDirection: teacher.evidence.spoof,
      auc: orientedAuc(taught[t] as Record<Label, number[]>, teacher.evidence.spoof),
    }));
    table.push({ domain: domain.name, known: domain.known, family: domain.family, statistic, spoofDirection: direction, classes: sums, evidenceAuc: auc, knownEvidence });
  }
  return table;
}

function orientedAuc(values: Record<Label, number[]>, direction: 'higher' | 'lower'): number {
  const sign = direction === 'higher' ? 1 : -1;
  return rankAuc(values.spoof.map((v) => sign * v), values.bonafide.map((v) => sign * v));
}

/** P(positive > negative) + half the ties: the Mann-Whitney form of the ROC AUC. */
export function rankAuc(positives: readonly number[], negatives: readonly number[]): number {
  if (positives.length === 0 || negatives.length === 0) return Number.NaN;
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}
