/**
 * Issue 19 investigation: evaluation-only variants of corpus v2's unknown domains d5
 * (residue-phase) and d6 (smoothed-images), to find generator or channel settings that make
 * them harder without making them unlearnable. Each variant is written as a folder with a
 * generic manifest.csv (the `csv` adapter reads it), holding d5 and d6 eval clips only, so a
 * sweep can add `"<variant>": {"adapter": "csv", "root": ...}` to `data.evaluate.unknown`
 * and score already trained models on it (evaluation never changes training job keys).
 *
 *   tsx scripts/synth-unknown-variants.ts <outDir> [perClass=100] [variant ...]
 *
 * Bona fide clips of a variant equal v2's except where the variant changes the channel
 * (same seeds: version 2, domain d5/d6, split eval).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from '../src/util/rng.js';
import { domainsFor, type DomainSpec } from '../src/data/synth/domains.js';
import { families, type SpoofFamily } from '../src/data/synth/families/index.js';
import { oversmoothedStyle } from '../src/data/synth/families/oversmoothed.js';
import { upsampleLinear } from '../src/data/synth/families/upsampling.js';
import { applySteep, dbToGain } from '../src/data/synth/dsp.js';
import { griffinLim } from '../src/data/synth/families/phase-reconstruction.js';
import { muLawQuantise } from '../src/data/synth/families/noise-residue.js';
import { spliceSpan } from '../src/data/synth/families/partial.js';
import { makeItem } from '../src/data/synth/make-item.js';
import { encodeWav16 } from '../src/data/synth/wav.js';
import type { ChannelSpec } from '../src/data/synth/channel.js';

interface Knobs {
  bits: [number, number];
  glIterations: [number, number];
  /** Gain of the images above fs/4, dB (0 = linear interpolation as in d3). */
  imageDb: number;
  /** Scale of the over-smoothing toward natural: 1 = d2's style, 0 = natural. */
  smoothing: number;
  /** Fraction of the clip that carries the artefact (1 = all). */
  partial: [number, number];
  channel?: Partial<ChannelSpec>;
}

const base: Knobs = { bits: [5, 7], glIterations: [2, 6], imageDb: 0, smoothing: 1, partial: [1, 1] };
const phone: Partial<ChannelSpec> = { lowpassHz: 5000, noise: { color: 'white', snrDb: [25, 35] } };
const variants: Record<string, Knobs> = {
  base,
  // An unseen, stronger channel: band limit at 5 kHz and a white noise floor.
  phone: { ...base, channel: phone },
  // Weaker artefacts: finer quantisation, more Griffin-Lim iterations, attenuated images, milder smoothing.
  weak1: { bits: [8, 9], glIterations: [8, 16], imageDb: -20, smoothing: 0.5, partial: [1, 1] },
  weak2: { bits: [9, 10], glIterations: [16, 32], imageDb: -30, smoothing: 0.3, partial: [1, 1] },
  // Partial spoofs: only 25-45 % of the clip (a contiguous span) carries the artefacts.
  partial: { ...base, partial: [0.25, 0.45] },
  // Weaker artefacts heard through the phone channel.
  weak1phone: { bits: [8, 9], glIterations: [8, 16], imageDb: -20, smoothing: 0.5, partial: [1, 1], channel: phone },
  // Milder channels: a 6 kHz band limit with white noise, a 5.5 kHz band limit alone.
  phone6k: { ...base, channel: { lowpassHz: 6000, noise: { color: 'white', snrDb: [28, 38] } } },
  lp55: { ...base, channel: { lowpassHz: 5500 } },
  // Shorter partial spans: 15-30 % of the clip.
  partial15: { ...base, partial: [0.15, 0.3] },
};

/** The whole clip when the variant asks for all of it (no crossfade), else the span. */
function partialSpoof(natural: Float64Array, spoof: Float64Array, fraction: number, rng: Rng, sampleRate: number): Float64Array {
  return fraction >= 1 ? spoof : spliceSpan(natural, spoof, fraction, rng, sampleRate);
}

function familiesFor(name: string, k: Knobs): [SpoofFamily, SpoofFamily] {
  const d5: SpoofFamily = {
    name: `residue-phase-${name}`,
    artefact: 'variant',
    evidence: { statistic: 'highBandRatio', spoof: 'higher' },
    synthesize({ render, rng, sampleRate }) {
      const natural = render();
      const spoof = griffinLim(muLawQuantise(natural, rng.intBetween(k.bits[0], k.bits[1])), rng.intBetween(k.glIterations[0], k.glIterations[1]), rng.fork('phase'));
      return partialSpoof(natural, spoof, rng.between(k.partial[0], k.partial[1]), rng.fork('span'), sampleRate);
    },
  };
  const d6: SpoofFamily = {
    name: `smoothed-images-${name}`,
    artefact: 'variant',
    evidence: { statistic: 'mirrorCorrelation', spoof: 'higher' },
    synthesize({ render, rng, sampleRate }) {
      const natural = render();
      const full = oversmoothedStyle(rng.fork('style'));
      // Move each style factor from natural (1) toward d2's by `smoothing`.
      const style = Object.fromEntries(Object.entries(full).map(([key, v]) => [key, 1 + k.smoothing * ((v as number) - 1)]));
      let spoof = upsampleLinear(render(style, sampleRate / 2));
      if (k.imageDb < 0) {
        // A leaky anti-imaging filter: the band above fs/4 keeps its images, attenuated.
        const low = applySteep(spoof, 'lowpass', sampleRate / 4, sampleRate, 8);
        const high = applySteep(spoof, 'highpass', sampleRate / 4, sampleRate, 8);
        const g = dbToGain(k.imageDb);
        spoof = low.map((v, i) => v + g * (high[i] as number));
      }
      return partialSpoof(natural, spoof, rng.between(k.partial[0], k.partial[1]), rng.fork('span'), sampleRate);
    },
  };
  return [d5, d6];
}

const [outDir = '/tmp/variants', perClassArg = '100', ...names] = process.argv.slice(2);
const perClass = Number(perClassArg);
const sampleRate = 16000;
const v2 = domainsFor(2);
for (const name of names.length > 0 ? names : Object.keys(variants)) {
  const knobs = variants[name];
  if (knobs === undefined) throw new Error(`no variant ${name}`);
  const [f5, f6] = familiesFor(name, knobs);
  (families as SpoofFamily[]).push(f5, f6);
  const root = join(outDir, name);
  const rows = ['id,path,label,domain,split,attack,speaker'];
  const started = process.cpuUsage();
  for (const [domainName, family] of [['d5', f5], ['d6', f6]] as const) {
    const original = v2.find((d) => d.name === domainName) as DomainSpec;
    const domain: DomainSpec = { ...original, family: family.name, channel: { ...original.channel, ...knobs.channel } };
    mkdirSync(join(root, domainName), { recursive: true });
    for (let index = 0; index < perClass; index++) {
      for (const label of ['bonafide', 'spoof'] as const) {
        const item = makeItem({ seed: 0, domain, split: 'eval', label, index, clipSeconds: 1, sampleRate, version: 2 });
        const id = `${name}-${domainName}-${label}-${String(index).padStart(4, '0')}`;
        const path = `${domainName}/${id}.wav`;
        writeFileSync(join(root, path), encodeWav16(Float32Array.from(item.samples), sampleRate));
        rows.push([id, path, label, domainName, 'eval', item.attack ?? '', item.speaker].join(','));
      }
    }
  }
  writeFileSync(join(root, 'manifest.csv'), rows.join('\n') + '\n');
  const cpu = process.cpuUsage(started);
  console.log(`${name}: ${rows.length - 1} clips, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU-s`);
}
