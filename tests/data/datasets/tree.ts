import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { decodeAudioFile } from '../../../src/data/audio/index.js';
import type { DatasetItem } from '../../../src/data/item.js';
import { encodeWav16 } from '../../../src/data/synth/wav.js';

/**
 * Miniature dataset trees in the exact layouts of the real corpora. Audio files hold a
 * short tone whose frequency encodes which file it is, so reading the items back checks
 * that each item points at its own file. FLAC and MP3 are made with the Debian `flac` and
 * `lame` tools; where those are missing the file keeps its exact name but WAV content
 * (the decoder recognises formats by content).
 */
export const sampleRate = 16000;
const toneSeconds = 0.1;

function hasTool(name: string): boolean {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
}
export const tools = { flac: hasTool('flac'), lame: hasTool('lame') };

/** Tone frequency of the n-th file of a tree: 200, 300, ... Hz. */
export function toneOf(index: number): number {
  return 200 + 100 * index;
}

function tone(frequency: number): Float32Array {
  return Float32Array.from({ length: Math.round(toneSeconds * sampleRate) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * frequency * i) / sampleRate));
}

export interface TreeSpec {
  /** Text files: relative path -> content. */
  text?: Record<string, string>;
  /** Audio files, in order: the n-th gets toneOf(n). The extension picks the format. */
  audio?: string[];
}

/** Write a tree under `root`; returns a map from absolute audio path to its tone frequency. */
export function buildTree(root: string, spec: TreeSpec): Map<string, number> {
  for (const [path, content] of Object.entries(spec.text ?? {})) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const tones = new Map<string, number>();
  const flacInputs: string[] = [];
  (spec.audio ?? []).forEach((relative, index) => {
    const path = join(root, relative);
    mkdirSync(dirname(path), { recursive: true });
    const wav = encodeWav16(tone(toneOf(index)), sampleRate);
    tones.set(path, toneOf(index));
    if (relative.endsWith('.flac') && tools.flac) {
      const input = `${path}.tmp.wav`;
      writeFileSync(input, wav);
      flacInputs.push(input);
    } else if (relative.endsWith('.mp3') && tools.lame) {
      const input = `${path}.tmp.wav`;
      writeFileSync(input, wav);
      const result = spawnSync('lame', ['--silent', '-b', '64', input, path]);
      expect(result.status, `lame failed on ${input}`).toBe(0);
    } else {
      writeFileSync(path, wav);
    }
  });
  if (flacInputs.length > 0) {
    const result = spawnSync('flac', ['--silent', '--force', '--delete-input-file', ...flacInputs]);
    expect(result.status, `flac failed: ${result.stderr?.toString()}`).toBe(0);
    // flac names its output <input minus .wav>.flac: x.flac.tmp.wav -> x.flac.tmp.flac
    for (const input of flacInputs) renameSync(input.replace(/\.wav$/, '.flac'), input.replace(/\.tmp\.wav$/, ''));
  }
  return tones;
}

/** Frequency of a decoded tone, by zero crossings over its loud part (MP3 pads both ends). */
function frequencyOf(samples: Float32Array, rate: number): number {
  let first = samples.findIndex((v) => Math.abs(v) > 0.2);
  let last = samples.length - 1;
  while (last > 0 && Math.abs(samples[last] as number) <= 0.2) last--;
  first = Math.max(1, first);
  let crossings = 0;
  for (let i = first; i <= last; i++) if ((samples[i - 1] as number) < 0 !== (samples[i] as number) < 0) crossings++;
  return (crossings / 2) * (rate / Math.max(1, last - first));
}

/** Decode every item's file and check it is the tone written for that path. */
export async function expectReadableItems(items: readonly DatasetItem[], tones: Map<string, number>): Promise<void> {
  for (const item of items) {
    const expected = tones.get(item.path);
    expect(expected, `${item.path} was not written by the test`).toBeDefined();
    const decoded = await decodeAudioFile(item.path);
    expect(decoded.sampleRate).toBe(sampleRate);
    // MP3 adds encoder delay and padding; the tone itself must survive.
    expect(Math.abs(frequencyOf(decoded.samples, decoded.sampleRate) - (expected as number))).toBeLessThan(40);
  }
}

/** Run a loader expected to fail and return its message. */
export async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect((error as Error).name).toBe('UserError');
    return (error as Error).message;
  }
  throw new Error('expected the load to fail');
}

export function counts(items: readonly DatasetItem[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const key = `${item.split}/${item.label}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
