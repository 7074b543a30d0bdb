import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { signFlipTest } from '../../src/report/index.js';
import { fixtureStore, mean, storedTrials, type FixtureStore } from './helpers/fixture.js';

/** Every sign pattern, counted directly: the definition the exact test must match. */
function bruteForceP(differences: number[]): number {
  const observed = Math.abs(differences.reduce((s, d) => s + d, 0));
  let extreme = 0;
  const patterns = 2 ** differences.length;
  for (let mask = 0; mask < patterns; mask++) {
    const total = differences.reduce((s, d, i) => s + ((mask >> i) & 1 ? -d : d), 0);
    if (Math.abs(total) >= observed - 1e-12) extreme++;
  }
  return extreme / patterns;
}

describe('signFlipTest', () => {
  it('is exact for small samples', () => {
    expect(signFlipTest([1, 2, 3]).pValue).toBe(2 / 8); // only all-plus and all-minus reach |6|
    expect(signFlipTest([1, -1]).pValue).toBe(1);
    const sample = [0.3, -0.1, 0.25, 0.4, 0.05, -0.02, 0.31, 0.12, 0.2];
    expect(signFlipTest(sample)).toEqual({ pValue: bruteForceP(sample), method: 'exact', iterations: 2 ** sample.length });
  });

  it('samples sign patterns from a seed for large samples, close to the exact value', () => {
    const sample = Array.from({ length: 22 }, (_, i) => Math.sin(i * 1.7) * 0.5 + 0.12);
    const first = signFlipTest(sample, { iterations: 20_000, seed: 3 });
    expect(first.method).toBe('monte-carlo');
    expect(signFlipTest(sample, { iterations: 20_000, seed: 3 })).toEqual(first);
    expect(Math.abs(first.pValue - bruteForceP(sample))).toBeLessThan(0.01);
  });
});

describe('ablate compare', () => {
  let store: FixtureStore;
  beforeAll(() => {
    store = fixtureStore();
  });
  afterAll(() => store?.remove());

  it('pairs the two configurations by seed and set: mean difference, interval around it, p-value', () => {
    const result = runCli([
      'compare', store.sweep, '--results', store.results,
      '--a', 'gate.type == "transformer" and routing.mode == "soft"',
      '--b', 'moe mlp soft',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const comparison = JSON.parse(result.stdout) as {
      a: { label: string }; b: { label: string }; pairs: Array<{ seed: number; dataset: string; diff: number }>;
      meanDiff: number; interval: { lower: number; upper: number }; test: { pValue: number; method: string };
    };
    expect(comparison.a.label).toBe('moe transformer soft');
    expect(comparison.b.label).toBe('moe mlp soft');
    // Independent: the stored EERs of the same seed on the same set.
    const trials = storedTrials(store.results, store.sweep).filter((t) => t.kind === 'moe' && t.params['routing.mode'] === 'soft');
    const expected: number[] = [];
    for (const a of trials.filter((t) => t.params['gate.type'] === 'transformer')) {
      const b = trials.find((t) => t.params['gate.type'] === 'mlp' && t.params['seed'] === a.params['seed']);
      for (const dataset of ['synth:d1', 'synth:d2', 'synth:d5']) expected.push((a.scores.get(dataset)?.['eer'] as number) - (b?.scores.get(dataset)?.['eer'] as number));
    }
    expect(comparison.pairs).toHaveLength(9);
    expect(comparison.meanDiff).toBeCloseTo(mean(expected), 12);
    expect(comparison.interval.lower).toBeLessThanOrEqual(comparison.meanDiff);
    expect(comparison.interval.upper).toBeGreaterThanOrEqual(comparison.meanDiff);
    expect(comparison.test).toMatchObject({ method: 'exact' });
    expect(comparison.test.pValue).toBeCloseTo(bruteForceP(comparison.pairs.map((p) => p.diff)), 12);
    // The fixture's transformer gate is 1 point of EER better: the test should see it.
    expect(comparison.meanDiff).toBeLessThan(0);
    expect(comparison.test.pValue).toBeLessThan(0.05);

    const text = runCli(['compare', store.sweep, '--results', store.results, '--a', 'moe transformer soft', '--b', 'moe mlp soft']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/EER difference A − B over 9 pairs \(3 seed\(s\) × 3 set\(s\)\): −\d+\.\d\d pp, 95 % interval \[−[\d.]+, [−+]?[\d.]+\] pp/);
    expect(text.stdout).toContain('paired sign-flip test, exact');
  });

  it('filters that name no configuration, several, or the same one are user errors', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['gate.type == "mlp"', 'moe mlp soft', /--a "gate.type == \\"mlp\\"" matches 2 configurations \("moe mlp soft", "moe mlp top-1"\); add conditions/],
      ['gate.type == "cnn"', 'moe mlp soft', /--a "gate.type == \\"cnn\\"" matches no configuration of report-fixture\. Configurations: "moe mlp soft"/],
      ['moe mlp soft', 'label == "moe mlp soft"', /--a and --b both name "moe mlp soft"/],
      ['gate.type === ', 'moe mlp soft', /--a "gate.type === ": not a configuration label nor a valid filter/],
    ];
    for (const [a, b, message] of cases) {
      const result = runCli(['compare', store.sweep, '--results', store.results, '--a', a, '--b', b]);
      expect(result.status, a).toBe(2);
      expect(result.stderr, a).toMatch(message);
    }
  });
});
