import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioFile } from '../../../src/data/audio/index.js';
import { loadDataset } from '../../../src/data/datasets/index.js';
import type { DatasetItem, Split } from '../../../src/data/item.js';
import { corpusStatistics, domains, ensureSynthCorpus, resolveSizes, synthDefaults, trivialFeatures, type DomainStatistics, type SynthCorpusDescription } from '../../../src/data/synth/index.js';
import { crossValidatedAccuracy, fitLogistic, fitStump, type Example } from './trivial-classifier.js';

/**
 * The default corpus (generator v2), generated once for this file (about 20-30 s on 2 cores): the one a
 * sweep naming `synth` without options gets.
 */
let dir: string;
let root: string;
let description: SynthCorpusDescription;
let items: DatasetItem[];
let seconds: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ablate-synth-'));
  root = join(dir, 'corpus');
  const result = ensureSynthCorpus({ root, seed: 0, sizes: resolveSizes() });
  description = result.description;
  seconds = result.seconds;
  items = await loadDataset({ name: 'synth', adapter: 'synth', root });
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the embedded default corpus', () => {
  it('has the documented domains and class counts', () => {
    expect(synthDefaults).toEqual({ trainPerClass: 60, devPerClass: 20, evalPerClass: 30, clipSeconds: 1, sampleRate: 16000 });
    expect(items).toHaveLength(1060);
    expect(description.items).toBe(1060);
    expect(description.version).toBe(2);
    expect(domains.map((d) => `${d.name}:${d.known ? 'known' : 'unknown'}`)).toEqual(['d1:known', 'd2:known', 'd3:known', 'd4:known', 'd5:unknown', 'd6:unknown', 'd7:unknown']);
    const families = new Set<string>();
    for (const domain of domains) {
      families.add(domain.family);
      for (const split of ['train', 'dev', 'eval'] as Split[]) {
        const expected = domain.known ? { train: 60, dev: 20, eval: 30 }[split] : split === 'eval' ? 30 : 0;
        for (const label of ['bonafide', 'spoof'] as const) {
          expect(items.filter((i) => i.domain === domain.name && i.split === split && i.label === label), `${domain.name} ${split} ${label}`).toHaveLength(expected);
        }
      }
      const spoofs = items.filter((i) => i.domain === domain.name && i.label === 'spoof');
      expect(new Set(spoofs.map((i) => i.attack))).toEqual(new Set([domain.family]));
      expect(items.filter((i) => i.domain === domain.name).every((i) => i.meta?.['known'] === String(domain.known))).toBe(true);
    }
    expect(families.size).toBe(7);
    // Evaluation voices are new: speakers never cross splits.
    for (const split of ['train', 'dev'] as Split[]) {
      const speakers = new Set(items.filter((i) => i.split === split).map((i) => i.speaker));
      expect(items.filter((i) => i.split === 'eval').some((i) => speakers.has(i.speaker))).toBe(false);
    }
    console.info(`default corpus: ${description.items} clips, ${(description.bytes / 1e6).toFixed(1)} MB, generated in ${seconds.toFixed(1)} s, content hash ${description.contentHash.slice(0, 16)}`);
  });

  it('holds 16-bit 16 kHz clips of about one second, never clipped', async () => {
    for (const item of items.filter((_, i) => i % 10 === 0)) {
      const bytes = readFileSync(item.path);
      expect(bytes.readUInt16LE(34)).toBe(16);
      const { samples, sampleRate } = await decodeAudioFile(item.path);
      expect(sampleRate).toBe(16000);
      expect(samples.length / sampleRate).toBeGreaterThanOrEqual(0.85 - 1e-3);
      expect(samples.length / sampleRate).toBeLessThanOrEqual(1.15 + 1e-3);
      expect(samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeLessThanOrEqual(0.99);
    }
  });

  it('gives a trivial classifier on duration, RMS and leading silence nothing to learn (near chance)', async () => {
    const accuracies: Record<string, number> = {};
    const pooled: Example[] = [];
    for (const domain of domains) {
      const examples: Example[] = [];
      for (const item of items.filter((i) => i.domain === domain.name)) {
        const { samples, sampleRate } = await decodeAudioFile(item.path);
        const f = trivialFeatures(samples, sampleRate);
        examples.push({ features: [f.durationSeconds, f.rmsDb, f.leadingSilenceSeconds], label: item.label === 'spoof' ? 1 : 0 });
      }
      pooled.push(...examples);
      accuracies[domain.name] = Math.max(crossValidatedAccuracy(examples, fitStump), crossValidatedAccuracy(examples, fitLogistic));
    }
    const pooledAccuracy = Math.max(crossValidatedAccuracy(pooled, fitStump), crossValidatedAccuracy(pooled, fitLogistic));
    console.info(`trivial-feature accuracy (best of stump and logistic regression, 5-fold): ${JSON.stringify(accuracies)}, pooled ${pooledAccuracy.toFixed(3)}`);
    const values = Object.values(accuracies);
    // 220 items per known domain, 60 per unknown one: chance is 0.5 +- 0.03 / 0.065.
    for (const [domain, accuracy] of Object.entries(accuracies)) expect(accuracy, domain).toBeLessThan(['d5', 'd6', 'd7'].includes(domain) ? 0.7 : 0.62);
    expect(values.reduce((a, b) => a + b, 0) / values.length).toBeLessThan(0.58);
    expect(pooledAccuracy).toBeLessThan(0.56);
  });

  it('carries each spoof family\'s artefact: its detector-free statistic separates the classes of its domain', async () => {
    const table: DomainStatistics[] = await corpusStatistics(root, description, items);
    for (const row of table) {
      console.info(
        `${row.domain} ${row.family}: ${row.statistic} bona fide ${row.classes.bonafide.evidence.toFixed(3)}, spoof ${row.classes.spoof.evidence.toFixed(3)}, AUC ${row.evidenceAuc.toFixed(3)}`,
      );
      expect(row.evidenceAuc, `${row.domain} ${row.statistic}`).toBeGreaterThan(0.85);
    }
  });
});
