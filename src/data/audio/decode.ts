import { readFile } from 'node:fs/promises';
import { AudioFileError } from './audio-error.js';
import { sniffContainer } from './sniff.js';
import { decodeWav } from './wav.js';
import { decodeFlac } from './flac.js';
import { decodeMp3 } from './mp3.js';
import type { DecodedAudio } from './mixdown.js';

export type { DecodedAudio } from './mixdown.js';

/**
 * Decode a WAV, FLAC or MP3 file in-process to mono float samples in [-1, 1] at the
 * file's own rate. The format is chosen by content, not by extension. Any problem
 * (missing, empty, truncated, corrupt, unsupported) throws an AudioFileError (a
 * UserError) naming the file and the problem.
 */
export async function decodeAudioFile(path: string): Promise<DecodedAudio> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new AudioFileError(path, readProblem(error), { hint: 'Check the dataset path and protocol.', cause: error });
  }
  return decodeAudioBytes(bytes, path);
}

/** Same as decodeAudioFile for bytes already in memory; `path` names them in messages. */
export async function decodeAudioBytes(bytes: Uint8Array, path: string): Promise<DecodedAudio> {
  if (bytes.length === 0) throw new AudioFileError(path, 'empty file (0 bytes)');
  const { container, offset, seen } = sniffContainer(bytes);
  let decoded: DecodedAudio;
  switch (container) {
    case 'wav':
      decoded = decodeWav(bytes, path);
      break;
    case 'flac':
      decoded = await decodeFlac(bytes, offset, path);
      break;
    case 'mp3':
      decoded = await decodeMp3(bytes, offset, path);
      break;
    default:
      throw new AudioFileError(path, `unsupported or unrecognised audio format: the file ${seen}`, {
        hint: 'ablate reads WAV (PCM/float), FLAC and MP3, recognised by their content; convert the file (e.g. `sox in.ext out.flac`).',
      });
  }
  if (decoded.samples.length === 0) throw new AudioFileError(path, 'no audio samples');
  const rate = decoded.sampleRate;
  if (!Number.isInteger(rate) || rate < MIN_SAMPLE_RATE || rate > MAX_SAMPLE_RATE) {
    throw new AudioFileError(path, `implausible sample rate ${rate} Hz in its header (audio is sampled at ${MIN_SAMPLE_RATE}-${MAX_SAMPLE_RATE} Hz; speech corpora use 8000-48000)`, {
      hint: 'The header is damaged or was written wrongly: re-encode the file with its true rate (e.g. `sox -r 16000 in.wav out.wav`), or remove it.',
    });
  }
  const bad = firstUnusable(decoded.samples);
  if (bad >= 0) {
    const value = decoded.samples[bad]!;
    throw new AudioFileError(
      path,
      Number.isFinite(value)
        ? `corrupt audio: sample ${bad} is ${value.toExponential(3)}, beyond any audio encoding's full scale (|x| <= ${MAX_ABS_SAMPLE}; normal audio is within [-1, 1])`
        : `corrupt audio: sample ${bad} is ${value} (float WAV with NaN/infinite values)`,
    );
  }
  return decoded;
}

/*
 * Bounds that no real recording crosses, checked at decode time so a damaged file is named
 * here instead of poisoning a whole job (a float WAV with samples near 3e38 overflows the
 * power spectrum to Infinity, and training then fails blaming the learning rate; a header
 * saying 1 Hz becomes an all-zero clip, or a resampler asked for a 16000x larger buffer).
 * Samples: float WAVs are nominally within [-1, 1] and may overshoot a little; 2^16 also
 * admits floats written at 16-bit integer scale, which some tools do. Rates: telephony is
 * 8 kHz and studio formats stop at 768 kHz.
 */
export const MAX_ABS_SAMPLE = 65536;
export const MIN_SAMPLE_RATE = 1000;
export const MAX_SAMPLE_RATE = 768000;

function firstUnusable(samples: Float32Array): number {
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i]!;
    // Written as a negation so that NaN fails it too.
    if (!(x <= MAX_ABS_SAMPLE && x >= -MAX_ABS_SAMPLE)) return i;
  }
  return -1;
}

function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EISDIR':
      return 'is a directory, not an audio file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return `cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
}
