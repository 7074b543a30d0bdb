import type { Argv, CommandModule } from 'yargs';
import { bootstrapInterval, type BootstrapInterval } from '../metrics/bootstrap.js';
import { ASVSPOOF5_COSTS } from '../metrics/dcf.js';
import { detectionMetrics, type DetectionMetrics } from '../metrics/detection.js';
import { checkScoreable, joinScoresAndKeys, type ScoredTrials } from '../metrics/files/join.js';
import { readKeyFile, type KeyFile } from '../metrics/files/read-keys.js';
import { readScoreFile, type ScoreFile } from '../metrics/files/read-scores.js';
import { sourceAveragedBalancedAccuracy, type SourceAveragedBalancedAccuracy } from '../metrics/source-averaged.js';
import { decide, ratesAtThreshold, type RatesAtThreshold } from '../metrics/threshold.js';
import { UserError } from '../util/errors.js';
import { integerOption, numberOption } from '../util/options.js';

interface ScoreArgs {
  'scores-file': string;
  keys: string;
  json: boolean;
  threshold?: number;
  subset?: string;
  bootstrap: number;
  seed: number;
  level: number;
}

interface ScoreReport extends DetectionMetrics {
  tpr?: number;
  tnr?: number;
  balancedAccuracy?: number;
  sourceAveragedBalancedAccuracy?: number;
  eerInterval?: Interval;
  aucInterval?: Interval;
}

interface Interval {
  lower: number;
  upper: number;
  level: number;
  iterations: number;
  seed: number;
}

/** `ablate score`: the ASVspoof metrics of any score file against its keys. */
export const scoreCommand: CommandModule<object, ScoreArgs> = {
  command: 'score <scores-file>',
  describe: 'EER, AUC, minDCF, actDCF and Cllr of a score file against its keys (ASVspoof 5 TSV, ASVspoof 2021, CSV)',
  builder: (yargs: Argv<object>) =>
    yargs
      .positional('scores-file', {
        type: 'string',
        demandOption: true,
        describe: 'scores: ASVspoof 5 TSV (filename<TAB>cm-score), ASVspoof 2021 "trial score", or CSV with id and score columns',
      })
      .option('keys', {
        type: 'string',
        demandOption: true,
        describe: 'ground truth: ASVspoof 5 TSV (filename<TAB>cm-label), ASVspoof 2019/2021 protocol or trial_metadata, or CSV with id and label',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print only a JSON object of the metrics (rates as fractions in [0, 1])' })
      .option('threshold', numberOption('threshold', { describe: 'also report TPR, TNR and balanced accuracy at this threshold (bona fide iff score >= it)' }))
      .option('subset', { type: 'string', describe: 'ASVspoof 2021 keys: keep only this subset (column 8: progress, eval, hidden_track)' })
      .option('bootstrap', integerOption('bootstrap', { min: 0, max: 1_000_000, unit: 'replicates', default: 0, describe: 'bootstrap replicates for EER and AUC intervals (0 = none)' }))
      .option('seed', integerOption('seed', { min: 0, max: 2 ** 32 - 1, default: 0, describe: 'seed of the bootstrap resampling' }))
      .option('level', numberOption('level', { min: 0, max: 1, exclusive: true, default: 0.95, describe: 'coverage of the bootstrap intervals' })) as unknown as Argv<ScoreArgs>,
  handler: (args) => {
    if (args.threshold !== undefined && !Number.isFinite(args.threshold)) {
      throw new UserError('--threshold must be a finite number, e.g. --threshold 0.5.');
    }
    if (!Number.isInteger(args.bootstrap) || args.bootstrap < 0) {
      throw new UserError(`--bootstrap must be a whole number of replicates (0 for none), got ${String(args.bootstrap)}.`);
    }
    const scoreFile = readScoreFile(args['scores-file']);
    const keyFile = readKeyFile(args.keys);
    const trials = joinScoresAndKeys(scoreFile, keyFile, args.subset === undefined ? {} : { subset: args.subset });
    checkScoreable(trials, scoreFile.path, keyFile.path);
    const report = scoreReport(trials, args);
    refuseNonFinite(report, scoreFile.path);
    process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : humanReport(report, scoreFile, keyFile, trials, args));
  },
};

function scoreReport(trials: ScoredTrials, args: ScoreArgs): ScoreReport {
  const report: ScoreReport = detectionMetrics(trials.scores, trials.isBonafide);
  if (args.threshold !== undefined) {
    const rates: RatesAtThreshold = ratesAtThreshold(trials.scores, trials.isBonafide, args.threshold);
    report.tpr = rates.tpr;
    report.tnr = rates.tnr;
    report.balancedAccuracy = rates.balancedAccuracy;
    if (trials.sources) {
      const averaged: SourceAveragedBalancedAccuracy = sourceAveragedBalancedAccuracy(decide(trials.scores, args.threshold), trials.isBonafide, trials.sources);
      report.sourceAveragedBalancedAccuracy = averaged.value;
    }
  }
  if (args.bootstrap > 0) {
    const options = { iterations: args.bootstrap, seed: args.seed, level: args.level };
    report.eerInterval = interval(bootstrapInterval(trials.scores, trials.isBonafide, 'eer', options));
    report.aucInterval = interval(bootstrapInterval(trials.scores, trials.isBonafide, 'auc', options));
  }
  return report;
}

/**
 * A metric that came out NaN or infinite would print as NaN (or null in JSON) with exit 0;
 * say which, and why, instead.
 */
function refuseNonFinite(report: ScoreReport, path: string): void {
  const bad: string[] = [];
  for (const [name, value] of Object.entries(report)) {
    if (typeof value === 'number' && !Number.isFinite(value)) bad.push(`${name} ${value}`);
    if (value && typeof value === 'object') {
      for (const [part, inner] of Object.entries(value as Record<string, unknown>)) if (typeof inner === 'number' && !Number.isFinite(inner)) bad.push(`${name}.${part} ${inner}`);
    }
  }
  if (bad.length > 0) {
    throw new UserError(
      `${path}: the metrics are not finite (${bad.join(', ')}): the scores are too large for double-precision arithmetic. ` +
        'Write scores on a sensible scale (log-likelihood ratios, logits or probabilities) and score again.',
    );
  }
}

function interval({ lower, upper, level, iterations, seed }: BootstrapInterval): Interval {
  return { lower, upper, level, iterations, seed };
}

function humanReport(report: ScoreReport, scoreFile: ScoreFile, keyFile: KeyFile, trials: ScoredTrials, args: ScoreArgs): string {
  const percent = (value: number): string => `${(100 * value).toFixed(3)} %`;
  const range = (i: Interval | undefined, format: (v: number) => string): string =>
    i ? `  [${format(i.lower)}, ${format(i.upper)}] ${Math.round(i.level * 100)}% bootstrap` : '';
  const fixed = (digits: number) => (v: number) => v.toFixed(digits);
  const { pSpoof, cMiss, cFa } = ASVSPOOF5_COSTS;
  const lines = [
    `scores  ${scoreFile.path}, read as ${scoreFile.description}`,
    `keys    ${keyFile.path}, read as ${keyFile.description}${args.subset === undefined ? '' : `; subset ${args.subset} only`}`,
    `trials  ${trials.ids.length}: ${report.nBonafide} bona fide, ${report.nSpoof} spoof`,
    '',
    `EER     ${percent(report.eer)}  (threshold ${report.eerThreshold})${range(report.eerInterval, percent)}`,
    `AUC     ${report.auc.toFixed(6)}${range(report.aucInterval, fixed(6))}`,
    `minDCF  ${report.minDcf.toFixed(6)}  (Pspoof ${pSpoof}, Cmiss ${cMiss}, Cfa ${cFa}; threshold ${report.minDcfThreshold})`,
    `actDCF  ${report.actDcf.toFixed(6)}  (scores as LLRs, threshold ${report.actDcfThreshold.toFixed(6)})`,
    `Cllr    ${report.cllr.toFixed(6)} bits`,
  ];
  if (report.tpr !== undefined && report.tnr !== undefined && report.balancedAccuracy !== undefined) {
    lines.push(`at threshold ${args.threshold}: TPR ${percent(report.tpr)}, TNR ${percent(report.tnr)}, balanced accuracy ${percent(report.balancedAccuracy)}`);
    if (report.sourceAveragedBalancedAccuracy !== undefined) {
      lines.push(`source-averaged balanced accuracy (SAFE) ${percent(report.sourceAveragedBalancedAccuracy)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
