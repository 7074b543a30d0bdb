import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { fixturesDir, loadReference, type ReferenceValues } from './fixtures.js';

const { files } = loadReference();
const fixture = (relative: string): string => join(fixturesDir, 'files', relative);

function expectReport(report: Record<string, number>, expected: ReferenceValues): void {
  expect(report.eer).toBe(expected.eer);
  expect(report.eerThreshold).toBe(expected.eer_threshold);
  for (const [key, reference] of [
    ['auc', expected.auc],
    ['minDcf', expected.min_dcf],
    ['actDcf', expected.act_dcf],
    ['cllr', expected.cllr],
  ] as const) {
    expect(Math.abs((report[key] as number) - reference), key).toBeLessThanOrEqual(1e-9);
  }
  expect([report.nBonafide, report.nSpoof]).toEqual([expected.n_bonafide, expected.n_spoof]);
}

describe('ablate score', () => {
  it.each(['asvspoof5', 'asvspoof2021-la', 'asvspoof2021-df'])('--json on the %s files prints only the metrics object', (name) => {
    const set = files[name]!;
    const result = runCli(['score', fixture(set.scores), '--keys', fixture(set.keys[0]!), '--json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(result.stdout) as Record<string, number>;
    expectReport(report, set.expected);
    for (const rate of ['eer', 'auc', 'minDcf']) {
      expect(report[rate]).toBeGreaterThanOrEqual(0);
      expect(report[rate]).toBeLessThanOrEqual(1);
    }
  });

  it('reads SAFE-style CSV and reports rates and source-averaged balanced accuracy at --threshold', () => {
    const set = files.csv!;
    const result = runCli(['score', fixture(set.scores), '--keys', fixture(set.keys[0]!), '--json', '--threshold', String(set.threshold)]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, number>;
    expectReport(report, set.expected);
    const at = set.expected.at_threshold!;
    expect(report.tpr).toBeCloseTo(at.tpr, 12);
    expect(report.tnr).toBeCloseTo(at.tnr, 12);
    expect(report.balancedAccuracy).toBeCloseTo(at.balanced_accuracy, 12);
    expect(report.sourceAveragedBalancedAccuracy).toBeCloseTo(set.expected.source_averaged!.value, 12);
  });

  it('keeps one ASVspoof 2021 subset and prints a readable summary', () => {
    const set = files['asvspoof2021-la']!;
    const result = runCli(['score', fixture(set.scores), '--keys', fixture(set.keys[0]!), '--subset', 'eval', '--bootstrap', '200', '--seed', '3']);
    expect(result.status).toBe(0);
    const expected = set.expected_eval_subset!;
    expect(result.stdout).toContain('ASVspoof 2021 (trial score)');
    expect(result.stdout).toContain('ASVspoof 2021 trial_metadata');
    expect(result.stdout).toContain(`${expected.n_bonafide} bona fide, ${expected.n_spoof} spoof`);
    expect(result.stdout).toContain(`EER     ${(100 * expected.eer).toFixed(3)} %`);
    expect(result.stdout).toMatch(/\[\d+\.\d{3} %, \d+\.\d{3} %\] 95% bootstrap/);
    expect(result.stdout).toContain(`Cllr    ${expected.cllr.toFixed(6)} bits`);
  });
});

describe('ablate score: bad input is a message and exit code 2', () => {
  // The list of bad inputs, end to end. Each case: a score file, a key file, and what
  // the message must say. More layout problems are checked in-process in files.test.ts.
  const keys = 'filename\tcm-label\nE_1\tbonafide\nE_2\tspoof\nE_3\tbonafide\nE_4\tspoof\n';
  const cases: Array<[string, string, string, RegExp[]]> = [
    ['a missing score', 'filename\tcm-score\nE_1\t0.5\nE_2\nE_3\t0.1\nE_4\t0.2\n', keys, [/scores\.tsv line 3: the score is missing/]],
    ['a non-numeric score', 'filename\tcm-score\nE_1\t0.5\nE_2\t0.3\nE_3\thigh\nE_4\t0.2\n', keys, [/scores\.tsv line 4: expected a number in column "cm-score", found "high"/]],
    ['a NaN score', 'filename\tcm-score\nE_1\t0.5\nE_2\tnan\nE_3\t0.1\nE_4\t0.2\n', keys, [/scores\.tsv line 3: the score is nan; NaN and infinite scores are refused/]],
    ['an id with no key', 'filename\tcm-score\nE_1\t0.5\nE_2\t0.3\nE_3\t0.1\nE_4\t0.2\nE_9\t0.7\n', keys, [/scores\.tsv line 6: trial "E_9" has no key in .*keys\.tsv/]],
    ['a key with no score', 'filename\tcm-score\nE_1\t0.5\nE_2\t0.3\nE_4\t0.2\n', keys, [/keys\.tsv line 4: trial "E_3" has no score in .*scores\.tsv/, /3 scores for 4 keys/]],
    [
      'only one class',
      'filename\tcm-score\nE_1\t0.5\nE_3\t0.1\n',
      'filename\tcm-label\nE_1\tbonafide\nE_3\tbonafide\n',
      [/keys\.tsv: the 2 scored trials are all bona fide; .*need both bonafide and spoof/],
    ],
    ['fewer than 3 distinct scores', 'filename\tcm-score\nE_1\t1\nE_2\t0\nE_3\t1\nE_4\t0\n', keys, [/only 2 distinct score values \(1, 0\); give soft scores, not binary decisions/]],
  ];

  it.each(cases)('%s', (_, scoreText, keyText, patterns) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'scores.tsv'), scoreText);
    writeFileSync(join(dir, 'keys.tsv'), keyText);
    const result = runCli(['score', join(dir, 'scores.tsv'), '--keys', join(dir, 'keys.tsv'), '--json']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    for (const pattern of patterns) expect(result.stderr).toMatch(pattern);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('names a missing file', () => {
    const result = runCli(['score', 'no/such/scores.tsv', '--keys', fixture('asvspoof5/keys.tsv')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('cannot read the score file no/such/scores.tsv: no such file');
  });
});
