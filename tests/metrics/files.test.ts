import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkScoreable,
  detectionMetrics,
  joinScoresAndKeys,
  readKeyFile,
  readScoreFile,
  writeAsvspoof5Keys,
  writeAsvspoof5Scores,
} from '../../src/metrics/index.js';
import { isUserError } from '../../src/util/errors.js';
import { tempDir } from '../helpers/tmp.js';
import { fixturesDir, loadReference, type ReferenceValues } from './fixtures.js';

const { files } = loadReference();
const fixture = (relative: string): string => join(fixturesDir, 'files', relative);

function expectMatches(actual: ReturnType<typeof detectionMetrics>, expected: ReferenceValues): void {
  expect(actual.eer).toBe(expected.eer);
  expect(actual.eerThreshold).toBe(expected.eer_threshold);
  expect(Math.abs(actual.auc - expected.auc)).toBeLessThanOrEqual(1e-9);
  expect(Math.abs(actual.minDcf - expected.min_dcf)).toBeLessThanOrEqual(1e-9);
  expect(Math.abs(actual.actDcf - expected.act_dcf)).toBeLessThanOrEqual(1e-9);
  expect(Math.abs(actual.cllr - expected.cllr)).toBeLessThanOrEqual(1e-9);
  expect([actual.nBonafide, actual.nSpoof]).toEqual([expected.n_bonafide, expected.n_spoof]);
}

describe('score files', () => {
  it.each([
    ['asvspoof5/scores.tsv', 'asvspoof5'],
    ['asvspoof2021-la/score.txt', 'asvspoof2021'],
    ['asvspoof2021-df/score.txt', 'asvspoof2021'],
    ['csv/scores.csv', 'csv'],
  ])('reads %s as %s, every trial with its exact score', (relative, format) => {
    const file = readScoreFile(fixture(relative));
    expect(file.format).toBe(format);
    expect(file.ids).toHaveLength(200);
    // Compare with a plain re-read of the text: last field is the score, first (or "id") the trial.
    const rows = readFileSync(fixture(relative), 'utf8').trim().split('\n');
    const dataRows = format === 'asvspoof2021' ? rows : rows.slice(1);
    const last = dataRows.at(-1)!.split(/[\t, ]+/);
    expect(file.ids.at(-1)).toBe(last[0]);
    expect(file.scores.at(-1)).toBe(Number(last.at(-1)));
    expect(file.lines.at(-1)).toBe(rows.length);
  });
});

describe('key files', () => {
  it.each([
    ['asvspoof5/keys.tsv', 'asvspoof5', false],
    ['asvspoof5/protocol.txt', 'protocol', true],
    ['asvspoof2021-la/trial_metadata.txt', 'asvspoof2021', true],
    ['asvspoof2021-df/trial_metadata.txt', 'asvspoof2021', true],
    ['asvspoof2021-df/protocol-2019.txt', 'asvspoof2019', true],
    ['csv/keys.csv', 'csv', true],
  ])('reads %s as %s', (relative, format, hasSources) => {
    const keys = readKeyFile(fixture(relative));
    expect(keys.format).toBe(format);
    expect(keys.ids).toHaveLength(200);
    expect(keys.sources !== null).toBe(hasSources);
    const nBonafide = keys.isBonafide.reduce((a, b) => a + b, 0);
    expect(nBonafide).toBeGreaterThan(0);
    expect(nBonafide).toBeLessThan(200);
  });

  it('takes trial (column 2), attack (5), label (6) and subset (8) from 2021 trial_metadata', () => {
    const keys = readKeyFile(fixture('asvspoof2021-la/trial_metadata.txt'));
    const firstSpoofLine = readFileSync(fixture('asvspoof2021-la/trial_metadata.txt'), 'utf8')
      .split('\n')
      .findIndex((line) => line.includes(' spoof '));
    const fields = readFileSync(fixture('asvspoof2021-la/trial_metadata.txt'), 'utf8').split('\n')[firstSpoofLine]!.split(' ');
    expect(keys.ids[firstSpoofLine]).toBe(fields[1]);
    expect(keys.isBonafide[firstSpoofLine]).toBe(0);
    expect(keys.sources?.[firstSpoofLine]).toBe(fields[4]);
    expect(keys.subsets?.[firstSpoofLine]).toBe(fields[7]);
    expect(new Set(keys.subsets)).toEqual(new Set(['eval', 'progress']));
  });

  it('reads headerless "trial label" pairs', () => {
    const dir = tempDir();
    const path = join(dir, 'keys.txt');
    writeFileSync(path, 'a bonafide\nb spoof\nc genuine\nd fake\n');
    const keys = readKeyFile(path);
    expect(keys.format).toBe('pairs');
    expect([...keys.isBonafide]).toEqual([1, 0, 1, 0]);
  });
});

describe('scores joined with keys give the reference metrics', () => {
  const pairs = Object.entries(files).flatMap(([name, set]) => set.keys.map((keys) => [name, set.scores, keys, set.expected] as const));

  it.each(pairs)('%s: %s with %s', (_, scores, keys, expected) => {
    const trials = joinScoresAndKeys(readScoreFile(fixture(scores)), readKeyFile(fixture(keys)));
    checkScoreable(trials, scores, keys);
    expectMatches(detectionMetrics(trials.scores, trials.isBonafide), expected);
  });

  it('keeps one ASVspoof 2021 subset on request', () => {
    const set = files['asvspoof2021-la']!;
    const trials = joinScoresAndKeys(readScoreFile(fixture(set.scores)), readKeyFile(fixture(set.keys[0]!)), { subset: 'eval' });
    expectMatches(detectionMetrics(trials.scores, trials.isBonafide), set.expected_eval_subset!);
  });
});

describe('layout problems are UserErrors naming file and line', () => {
  const cases: Array<[string, string, 'scores' | 'keys', RegExp]> = [
    ['an infinite score', 'E_1 0.5\nE_2 -inf\n', 'scores', /in\.txt line 2: the score is -inf; NaN and infinite scores are refused/],
    ['a hexadecimal score', 'E_1 0.5\nE_2 0x1f\n', 'scores', /in\.txt line 2: expected a number in column 2, found "0x1f"/],
    ['extra columns in a 2021 score file', 'E_1 A01 spoof 0.5\n', 'scores', /in\.txt line 1: expected 2 columns "<trial> <score>", found 4/],
    ['a header without a score column', 'filename\tprob\nE_1\t0.5\n', 'scores', /in\.txt line 1: the header has no score column/],
    ['an empty file', '\n\n', 'scores', /the score file .*in\.txt is empty/],
    ['bad CSV quoting', 'id,score\n"E_1,0.5\n', 'scores', /in\.txt.*is not valid CSV/],
    ['an unknown label', 'filename\tcm-label\nE_1\tmaybe\n', 'keys', /in\.txt line 2: expected bonafide or spoof .* in column 2, found "maybe"/],
    ['a key given twice', 'a bonafide\nb spoof\na spoof\n', 'keys', /in\.txt line 3: trial "a" has a second key \(first on line 1\)/],
    ['a short 2021 row', 'LA_1 LA_E_1 alaw ita_tx A07 spoof notrim eval\nLA_1 LA_E_2 alaw\n', 'keys', /in\.txt line 2: expected at least 8 columns/],
    ['an unreadable layout', 'x y z\n', 'keys', /in\.txt line 1: cannot tell the keys file's layout/],
  ];

  it.each(cases)('%s', (_, text, kind, pattern) => {
    const path = join(tempDir(), 'in.txt');
    writeFileSync(path, text);
    let error: unknown;
    try {
      if (kind === 'scores') readScoreFile(path);
      else readKeyFile(path);
    } catch (caught) {
      error = caught;
    }
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toMatch(pattern);
  });

  it('refuses a trial scored twice when joining', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'scores.tsv'), 'filename\tcm-score\nE_1\t0.5\nE_2\t0.3\nE_1\t0.1\n');
    writeFileSync(join(dir, 'keys.tsv'), 'filename\tcm-label\nE_1\tbonafide\nE_2\tspoof\n');
    expect(() => joinScoresAndKeys(readScoreFile(join(dir, 'scores.tsv')), readKeyFile(join(dir, 'keys.tsv')))).toThrow(
      /scores\.tsv line 4: trial "E_1" is scored twice \(first on line 2\)/,
    );
  });

  it('refuses --subset on keys without a subset column, and an absent subset', () => {
    const scores = readScoreFile(fixture('asvspoof5/scores.tsv'));
    expect(() => joinScoresAndKeys(scores, readKeyFile(fixture('asvspoof5/keys.tsv')), { subset: 'eval' })).toThrow(/has no subset column/);
    const la = files['asvspoof2021-la']!;
    expect(() => joinScoresAndKeys(readScoreFile(fixture(la.scores)), readKeyFile(fixture(la.keys[0]!)), { subset: 'evl' })).toThrow(
      /no trial of .* is in that subset; the subsets present are eval, progress/,
    );
  });
});

describe('ASVspoof 5 writers', () => {
  it('round-trip scores exactly and write the eval package header', async () => {
    const dir = tempDir();
    const rows = [
      { id: 'E_0001', score: 0.1 + 0.2 },
      { id: 'E_0002', score: -1e-300 },
      { id: 'E_0003', score: 123456789.12345679 },
      { id: 'E_0004', score: -0.6418538861723947 },
    ];
    await writeAsvspoof5Scores(join(dir, 'scores.tsv'), rows);
    await writeAsvspoof5Keys(join(dir, 'keys.tsv'), rows.map((r, i) => ({ id: r.id, isBonafide: i % 2 === 0 })));
    expect(readFileSync(join(dir, 'scores.tsv'), 'utf8').split('\n')[0]).toBe('filename\tcm-score');
    const scores = readScoreFile(join(dir, 'scores.tsv'));
    expect(scores.format).toBe('asvspoof5');
    expect(scores.ids).toEqual(rows.map((r) => r.id));
    expect([...scores.scores]).toEqual(rows.map((r) => r.score));
    const keys = readKeyFile(join(dir, 'keys.tsv'));
    expect(keys.format).toBe('asvspoof5');
    expect([...keys.isBonafide]).toEqual([1, 0, 1, 0]);
  });

  it('refuses what the scorers would refuse', async () => {
    const path = join(tempDir(), 'scores.tsv');
    await expect(writeAsvspoof5Scores(path, [{ id: 'a', score: Number.NaN }])).rejects.toThrow(/score of trial "a" is NaN/);
    await expect(writeAsvspoof5Scores(path, [{ id: 'a b', score: 1 }])).rejects.toThrow(/holds whitespace/);
    await expect(writeAsvspoof5Scores(path, [{ id: 'a', score: 1 }, { id: 'a', score: 2 }])).rejects.toThrow(/written twice/);
  });
});
