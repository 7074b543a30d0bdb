import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runCli } from '../helpers/cli.js';
import { buildSyntheticStore } from '../fixtures/report/synthetic-store.js';
import { tinyData, tinyLcnn, tinyResnet, tinySweep, tinyTraining } from '../jobs/tiny-sweeps.js';
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
    // The three sets of a seed share its two trained models: the test flips whole seeds.
    const seedMeans = [0, 1, 2].map((seed) => mean(comparison.pairs.filter((p) => p.seed === seed).map((p) => p.diff)));
    expect(comparison.test.pValue).toBeCloseTo(bruteForceP(seedMeans), 12);
    // The fixture's transformer gate is 1 point of EER better: every seed shows it, the most 3 units can say.
    expect(comparison.meanDiff).toBeLessThan(0);
    expect(comparison.test.pValue).toBe(0.25);

    const text = runCli(['compare', store.sweep, '--results', store.results, '--a', 'moe transformer soft', '--b', 'moe mlp soft']);
    expect(text.status).toBe(0);
    // The synthetic store has no score files: the pairs stay (seed, set), and it says so.
    expect(text.stdout).toContain('Paired by (seed, set) only: no pair has per-item scores for both trials');
    expect(text.stdout).toMatch(/EER difference A − B over 9 pairs \(3 seed\(s\) × 3 set\(s\)\): −\d+\.\d\d pp, 95 % interval \[−[\d.]+, [−+]?[\d.]+\] pp/);
    expect(text.stdout).toContain('paired sign-flip test over 3 unit(s), exact');
  });

  it('filters that name no configuration, several, or the same one are user errors', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['gate.type == "mlp"', 'moe mlp soft', /--a and --b both match "moe mlp soft"; give filters that share no configuration/],
      ['moe mlp soft zzz', 'moe mlp soft', /--a "moe mlp soft zzz": not a configuration label, nor words of labels \("zzz" appear in none\)/],
      ['moe soft', 'moe', /--a and --b both match "moe mlp soft", "moe transformer soft"/],
      ['gate.type == "cnn"', 'moe mlp soft', /--a "gate.type == \\"cnn\\"" matches no configuration of report-fixture\. Configurations: "moe mlp soft"/],
      ['moe top-1 mlp', 'mlp', /--a and --b both match "moe mlp top-1"/],
      ['moe mlp soft', 'label == "moe mlp soft"', /--a and --b both match "moe mlp soft"/],
      ['gate.type === ', 'moe mlp soft', /--a "gate.type === ": not a configuration label, nor words of labels \("gate\.type", "===" appear in none\), nor a valid filter/],
    ];
    for (const [a, b, message] of cases) {
      const result = runCli(['compare', store.sweep, '--results', store.results, '--a', a, '--b', b]);
      expect(result.status, a).toBe(2);
      expect(result.stderr, a).toMatch(message);
    }
  });
});

describe('ablate compare with filters that match several configurations', () => {
  let store: FixtureStore;
  beforeAll(() => {
    // gate type x routing (soft, top-1, top-2) x loss x gate input x pre-training: 48 mixtures.
    store = fixtureStore({ losses: true, gateInputs: true });
  });
  afterAll(() => store?.remove());

  type Comparison = {
    a: { configurations: string[] }; b: { configurations: string[] }; compared: string[];
    configurationPairs: Array<{ a: string; b: string; seeds: number[]; meanDiff: number }>;
    unpaired: { a: string[]; b: string[] };
    pairs: Array<{ configurationA: string; configurationB: string; seed: number; dataset: string; diff: number }>;
    units: number; meanDiff: number; interval: { lower: number; upper: number }; test: { pValue: number };
  };
  const compare = (a: string, b: string) => runCli(['compare', store.sweep, '--results', store.results, '--a', a, '--b', b, '--json']);

  it('pairs each configuration with the one that differs only in the compared factor, and pools the paired differences', () => {
    const result = compare('moe mlp soft', 'moe transformer soft');
    expect(result.stderr).toBe('');
    const c = JSON.parse(result.stdout) as Comparison;
    expect(c.compared).toEqual(['gate.type']);
    // 2 inputs x 2 losses x 2 pre-training settings, each with its transformer twin.
    expect(c.configurationPairs).toHaveLength(8);
    expect(c.unpaired).toEqual({ a: [], b: [] });
    // Independent: from the stored trials, pair each mlp soft trial with the transformer trial equal in every other parameter and seed.
    const trials = storedTrials(store.results, store.sweep).filter((t) => t.kind === 'moe' && t.params['routing.mode'] === 'soft');
    const others = (t: (typeof trials)[number]) => JSON.stringify(Object.entries(t.params).filter(([k]) => k !== 'gate.type').sort(([x], [y]) => x.localeCompare(y)));
    const expected: number[] = [];
    for (const a of trials.filter((t) => t.params['gate.type'] === 'mlp')) {
      const twins = trials.filter((t) => t.params['gate.type'] === 'transformer' && others(t) === others(a));
      expect(twins).toHaveLength(1);
      for (const dataset of ['synth:d1', 'synth:d2', 'synth:d5']) expected.push((a.scores.get(dataset)?.['eer'] as number) - (twins[0]?.scores.get(dataset)?.['eer'] as number));
    }
    expect(c.pairs).toHaveLength(8 * 3 * 3);
    expect(c.units).toBe(8 * 3);
    expect(c.meanDiff).toBeCloseTo(mean(expected), 12);
    for (const pair of c.pairs) expect(pair.configurationB).toBe(pair.configurationA.replace(' mlp ', ' transformer '));
    // The fixture's transformer gate is 1 point better; 24 units see it clearly.
    expect(c.meanDiff).toBeGreaterThan(0);
    expect(c.interval.lower).toBeGreaterThan(0);
    expect(c.interval.upper).toBeGreaterThanOrEqual(c.meanDiff);
    expect(c.test.pValue).toBeLessThan(0.01);

    const text = runCli(['compare', store.sweep, '--results', store.results, '--a', 'moe mlp soft', '--b', 'moe transformer soft']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('Compared: gate.type; each pair holds every other parameter equal');
    expect(text.stdout).toMatch(/over 72 pairs \(8 configuration pairs, 24 \(pair, seed\) units × 3 set\(s\)\): \+\d\.\d\d pp/);
    expect(text.stdout).toMatch(/moe mlp soft enhanced input separate no pretrain +moe transformer soft enhanced input separate no pretrain +3 /);
  });

  it('compares several factors at once, lists configurations without a partner, and rejects ambiguous partners', () => {
    const both = JSON.parse(compare('moe mlp soft', 'moe transformer top-1').stdout) as Comparison;
    expect([...both.compared].sort()).toEqual(['gate.type', 'routing.k', 'routing.mode']);
    expect(both.configurationPairs).toHaveLength(8);

    const partial = JSON.parse(compare('moe mlp soft', 'moe transformer').stdout) as Comparison;
    expect(partial.compared).toEqual(['gate.type']);
    expect(partial.configurationPairs).toHaveLength(8);
    expect(partial.unpaired.b).toHaveLength(16); // the transformer's top-1 and top-2 configurations

    const ambiguous = runCli(['compare', store.sweep, '--results', store.results, '--a', 'moe soft', '--b', 'routing.mode == "topk"']);
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toMatch(/of --a has 2 partners in --b \(".* top-1 .*", ".* top-2 .*"\) that differ from it only in routing\.(mode|k), routing\.(mode|k); narrow --b/);

    const overlapping = runCli(['compare', store.sweep, '--results', store.results, '--a', 'moe mlp', '--b', 'gate.type == "transformer" or routing.mode == "soft"']);
    expect(overlapping.status).toBe(2);
    expect(overlapping.stderr).toMatch(/--a and --b both match "moe mlp soft/);

    const noFactor = runCli(['compare', store.sweep, '--results', store.results, '--a', 'moe mlp soft', '--b', 'moe top-1 or gate.type == "transformer"']);
    expect(noFactor.status).toBe(2);
  });
});

describe('the README\'s compare command', () => {
  it('runs on a finished mile-grid store', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ablate-readme-compare-'));
    try {
      const results = join(dir, 'results');
      buildSyntheticStore({ results, sweepFile: join(repoRoot, 'sweeps', 'mile-grid.json') });
      const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
      const line = readme.split('\n').find((l) => l.startsWith('npx ablate compare mile-grid'));
      expect(line).toBeDefined();
      const args = [...(line as string).split('#')[0]!.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]).slice(2) as string[];
      expect(args).toEqual(['compare', 'mile-grid', '--a', 'moe mlp soft', '--b', 'moe transformer soft']);
      const result = runCli([...args, '--results', results]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('over 84 pairs (4 configuration pairs, 12 (pair, seed) units × 7 set(s))');
      expect(result.stdout).toContain('moe mlp soft shared pretrain       moe transformer soft shared pretrain');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ablate compare on per-item scores (a real, tiny run)', () => {
  it('pairs the items both trials scored, and falls back to (seed, set) pairs where score files are gone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ablate-compare-items-'));
    try {
      const sweep = tinySweep(
        dir,
        'tiny-gate',
        {
          kind: 'moe',
          experts: [tinyLcnn, tinyResnet],
          pretrain: { enabled: false },
          train: { ...tinyTraining, epochs: 1 },
          data: { ...tinyData, datasets: { synth: { adapter: 'synth', options: { trainPerClass: 8, devPerClass: 4, evalPerClass: 6 } } } },
        },
        { grid: { 'gate.type': ['mlp', 'transformer'] }, seeds: [0, 1] },
      );
      const results = join(dir, 'results');
      const run = runCli(['run', sweep, '--results', results, '--quiet']);
      expect(run.status, run.stderr).toBe(0);
      type Items = { pairs: number; of: number; items: number; meanDiff: number; interval: { lower: number; upper: number } } | null;
      const compare = () => {
        const result = runCli(['compare', 'tiny-gate', '--results', results, '--a', 'moe mlp', '--b', 'moe transformer', '--json']);
        expect(result.status, result.stderr).toBe(0);
        return JSON.parse(result.stdout) as { meanDiff: number; pairs: Array<{ trialA: string; seed: number; dataset: string; diff: number }>; items: Items };
      };
      const full = compare();
      // 2 seeds x 3 sets, 12 items a set (6 per class): every pair has per-item scores.
      expect(full.items).toMatchObject({ pairs: 6, of: 6, items: 6 * 12 });
      // The EER recomputed on the items both scored is the stored one: the pooled differences agree.
      expect(full.items?.meanDiff).toBeCloseTo(full.meanDiff, 9);
      expect(full.items?.interval.lower).toBeLessThanOrEqual(full.items?.meanDiff as number);
      expect(full.items?.interval.upper).toBeGreaterThanOrEqual(full.items?.meanDiff as number);

      // Seed 0 of A loses its score files: its 3 pairs fall back to the set level.
      const db = new Database(join(results, 'ablate.db'), { readonly: true });
      const trialA = full.pairs.find((p) => p.seed === 0)?.trialA as string;
      const files = db.prepare("SELECT a.path FROM trials t JOIN artifacts a ON a.job_key = t.result_job WHERE t.id = ? AND a.name LIKE 'scores/%'").all(trialA) as Array<{ path: string }>;
      db.close();
      expect(files).toHaveLength(3);
      for (const f of files) rmSync(join(results, f.path));
      const partial = compare();
      expect(partial.items).toMatchObject({ pairs: 3, of: 6, items: 3 * 12 });
      const seed1 = partial.pairs.filter((p) => p.seed === 1);
      expect(partial.items?.meanDiff).toBeCloseTo(mean(seed1.map((p) => p.diff)), 9);
      const text = runCli(['compare', 'tiny-gate', '--results', results, '--a', 'moe mlp', '--b', 'moe transformer']);
      expect(text.stdout).toMatch(/Paired on items: 3 of 6 pairs have per-item scores for both trials \(36 items\): A − B /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
