import { AudioFileError } from './audio-error.js';
import { decodeAudioFile } from './decode.js';
import { createResampler, type ResamplerQuality } from './resample.js';
import { clipLength, cropRng, fitClip } from './clip.js';
import { isUserError } from '../../util/errors.js';
import type { ClipPolicy, DatasetItem } from '../item.js';

/**
 * One item (or file) as the clip a model sees: decoded, mixed to mono, resampled to
 * clip.sampleRate, then cropped or tiled to clip.clipSeconds. A random crop's position
 * comes from clip.seed and the item id (the path for a bare file), so it is
 * reproducible and cacheable. Throws AudioFileError for any unusable file.
 */
export async function loadClip(source: Pick<DatasetItem, 'id' | 'path'> | string, clip: ClipPolicy, options: { quality?: ResamplerQuality } = {}): Promise<Float32Array> {
  const path = typeof source === 'string' ? source : source.path;
  const key = typeof source === 'string' ? source : source.id;
  const audio = await loadResampled(path, clip.sampleRate, options.quality);
  return fitClip(audio, clipLength(clip), clip.crop, clip.crop === 'random' ? cropRng(clip, key) : undefined, clip.crop === 'random' && clip.tileOffset === 'random');
}

/** A whole file decoded and resampled to `sampleRate`. */
export async function loadResampled(path: string, sampleRate: number, quality?: ResamplerQuality): Promise<Float32Array> {
  const decoded = await decodeAudioFile(path);
  if (decoded.sampleRate === sampleRate) return decoded.samples;
  try {
    const resampler = await createResampler(decoded.sampleRate, sampleRate, quality);
    return resampler.process(decoded.samples);
  } catch (error) {
    // e.g. a 384 kHz file: the file is what the user has to change, so name it.
    if (isUserError(error)) throw new AudioFileError(path, error.message.replace(/\.$/, ''), { cause: error });
    throw error;
  }
}
