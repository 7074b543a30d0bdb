import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Label, Split } from '../item.js';
import { canonicalJson, sha256Hex } from '../../util/hash.js';
import { domainsFor, type DomainSpec } from './domains.js';
import { familyNamed, type CombinedFamily } from './families/index.js';
import { makeItem } from './make-item.js';
import { resolveSizes, SYNTH_VERSION, type SynthSizes } from './options.js';
import { encodeWav16 } from './wav.js';

export interface SynthCorpusOptions extends Partial<SynthSizes> {
  /** Folder to write into; created if missing, and should be empty. */
  outDir: string;
  seed: number;
  /** Generator version (default: the current one). */
  version?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ManifestRow {
  id: string;
  /** Relative to the corpus folder. */
  path: string;
  label: Label;
  domain: string;
  split: Split;
  attack: string;
  speaker: string;
  family: string;
  known: 'true' | 'false';
}

type Counts = Record<Split, Record<Label, number>>;

export interface DomainSummary {
  name: string;
  known: boolean;
  family: string;
  artefact: string;
  evidence: { statistic: string; spoof: 'higher' | 'lower' };
  /** Known families whose processing this (unknown, v2) family chains. */
  combines?: string[];
  channel: string;
  counts: Counts;
}

/** What corpus.json holds: enough to check a folder matches a request and to describe it. */
export interface SynthCorpusDescription {
  generator: 'ablate-synth';
  version: number;
  seed: number;
  sizes: SynthSizes;
  domains: DomainSummary[];
  items: number;
  bytes: number;
  /** Clips whose loudness target had to give way to the peak limit. */
  limitedItems: number;
  /** SHA-256 over manifest.csv and every file's SHA-256, in manifest order. */
  contentHash: string;
}

const splits: readonly Split[] = ['train', 'dev', 'eval'];
const labels: readonly Label[] = ['bonafide', 'spoof'];
const manifestColumns = ['id', 'path', 'label', 'domain', 'split', 'attack', 'speaker', 'family', 'known'] as const;

export function perClassCount(domain: DomainSpec, split: Split, sizes: SynthSizes): number {
  if (!domain.known && split !== 'eval') return 0;
  if (split === 'eval' && !domain.known) return sizes.unknownEvalPerClass ?? sizes.evalPerClass;
  return split === 'train' ? sizes.trainPerClass : split === 'dev' ? sizes.devPerClass : sizes.evalPerClass;
}

/**
 * Write the embedded corpus: 16-bit WAV clips under <domain>/<split>/, a manifest.csv in
 * the generic manifest format (the `csv` adapter reads it) and corpus.json, last. A pure
 * function of (seed, sizes, generator version). Not atomic by itself: ensureSynthCorpus
 * writes into a temporary folder and renames it.
 */
export function generateSynthCorpus(options: SynthCorpusOptions): SynthCorpusDescription {
  const version = options.version ?? SYNTH_VERSION;
  const domains = domainsFor(version);
  const sizes = resolveSizes(options, version);
  const rows: ManifestRow[] = [];
  const fileHashes: string[] = [];
  let bytes = 0;
  let limitedItems = 0;
  const total = domains.reduce((n, d) => n + splits.reduce((m, s) => m + 2 * perClassCount(d, s, sizes), 0), 0);
  const summaries: DomainSummary[] = [];
  for (const domain of domains) {
    const family = familyNamed(domain.family);
    const counts = {} as Counts;
    for (const split of splits) {
      const perClass = perClassCount(domain, split, sizes);
      counts[split] = { bonafide: perClass, spoof: perClass };
      if (perClass === 0) continue;
      mkdirSync(join(options.outDir, domain.name, split), { recursive: true });
      for (let index = 0; index < perClass; index++) {
        for (const label of labels) {
          const item = makeItem({ seed: options.seed, domain, split, label, index, clipSeconds: sizes.clipSeconds, sampleRate: sizes.sampleRate, version });
          const id = `${domain.name}-${split}-${label}-${String(index).padStart(4, '0')}`;
          const path = `${domain.name}/${split}/${id}.wav`;
          const wav = encodeWav16(Float32Array.from(item.samples), sizes.sampleRate);
          writeFileSync(join(options.outDir, path), wav);
          fileHashes.push(sha256Hex(wav));
          bytes += wav.length;
          if (item.limited) limitedItems++;
          rows.push({ id, path, label, domain: domain.name, split, attack: item.attack ?? '', speaker: item.speaker, family: family.name, known: domain.known ? 'true' : 'false' });
          options.onProgress?.(rows.length, total);
        }
      }
    }
    const combines = 'combines' in family ? { combines: [...(family as CombinedFamily).combines] } : {};
    summaries.push({ name: domain.name, known: domain.known, family: family.name, artefact: family.artefact, evidence: family.evidence, ...combines, channel: domain.channel.description, counts });
  }
  const manifest = [manifestColumns.join(','), ...rows.map((row) => manifestColumns.map((c) => row[c]).join(','))].join('\n') + '\n';
  writeFileSync(join(options.outDir, 'manifest.csv'), manifest);
  const description: SynthCorpusDescription = {
    generator: 'ablate-synth',
    version,
    seed: options.seed,
    sizes,
    domains: summaries,
    items: rows.length,
    bytes,
    limitedItems,
    contentHash: sha256Hex([sha256Hex(manifest), ...fileHashes].join('\n')),
  };
  writeFileSync(join(options.outDir, 'corpus.json'), `${JSON.stringify(description, null, 2)}\n`);
  return description;
}

/** Whether a corpus.json describes the corpus asked for (same generator, seed and sizes). */
export function describesRequest(description: SynthCorpusDescription, seed: number, sizes: SynthSizes, version = SYNTH_VERSION): boolean {
  return description.generator === 'ablate-synth' && description.version === version && description.seed === seed && canonicalJson(description.sizes) === canonicalJson(sizes);
}
