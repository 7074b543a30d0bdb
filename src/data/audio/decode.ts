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
  if (!(decoded.sampleRate > 0)) throw new AudioFileError(path, `invalid sample rate ${decoded.sampleRate}`);
  const bad = firstNonFinite(decoded.samples);
  if (bad >= 0) throw new AudioFileError(path, `corrupt audio: sample ${bad} is ${decoded.samples[bad]} (float WAV with NaN/infinite values)`);
  return decoded;
}

function firstNonFinite(samples: Float32Array): number {
  for (let i = 0; i < samples.length; i++) if (!Number.isFinite(samples[i])) return i;
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
