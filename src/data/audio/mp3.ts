import { MPEGDecoder } from 'mpg123-decoder';
import { AudioFileError } from './audio-error.js';
import { isMpegFrameHeader } from './sniff.js';
import { mixToMono, type DecodedAudio } from './mixdown.js';

/**
 * MP3 (any MPEG-1/2/2.5 layer) through mpg123-decoder, gapless so the encoder's delay and
 * padding are trimmed when a LAME/Xing tag says how much. mpg123 always returns two
 * channels (a mono file gives two equal ones), so the mixdown is exact either way.
 *
 * mpg123 resynchronises over damaged frames silently and a cut stream is still a valid
 * shorter stream, so truncation is only detectable when the file carries a Xing/Info
 * tag with its byte count (LAME writes one); without a tag a truncated MP3 decodes to
 * the frames that are there.
 */
export async function decodeMp3(bytes: Uint8Array, offset: number, path: string): Promise<DecodedAudio> {
  const declaredBytes = xingByteCount(bytes, offset);
  if (declaredBytes !== null && bytes.length < declaredBytes) {
    throw new AudioFileError(path, `truncated MP3: its Xing/Info tag declares ${declaredBytes} bytes but the file has ${bytes.length}`);
  }
  const decoded = await withDecoder(async (decoder) => {
    try {
      const result = decoder.decode(bytes.subarray(offset));
      // Clear the stream state (and gapless trimming info) before the next file.
      await decoder.reset();
      return result;
    } catch (error) {
      discardDecoder();
      throw new AudioFileError(path, `corrupt MP3: the decoder failed (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
  });
  const firstError = decoded.errors[0];
  if (firstError !== undefined) throw new AudioFileError(path, `corrupt MP3: ${firstError.message} in frame ${firstError.frameNumber}`);
  const length = decoded.samplesDecoded;
  if (length === 0 || decoded.sampleRate === 0) throw new AudioFileError(path, 'corrupt or empty MP3: no audio frames could be decoded');
  return { samples: mixToMono(decoded.channelData, length), sampleRate: decoded.sampleRate, channels: decoded.channelData.length };
}

/* One decoder for the process, one file at a time (creating one costs more than a clip). */
let shared: Promise<MPEGDecoder> | null = null;
let queue: Promise<unknown> = Promise.resolve();

function withDecoder<T>(use: (decoder: MPEGDecoder) => Promise<T>): Promise<T> {
  const run = queue.then(async () => {
    shared ??= (async () => {
      const decoder = new MPEGDecoder({ enableGapless: true });
      await decoder.ready;
      return decoder;
    })();
    return use(await shared);
  });
  queue = run.catch(() => undefined);
  return run;
}

function discardDecoder(): void {
  const old = shared;
  shared = null;
  void old?.then((decoder) => decoder.free()).catch(() => undefined);
}

/** The byte count in a Xing/Info tag inside the first frame, or null when there is none. */
function xingByteCount(bytes: Uint8Array, frameStart: number): number | null {
  if (!isMpegFrameHeader(bytes, frameStart)) return null;
  // The tag sits right after the side information, whose size depends on version and
  // channel mode; searching the first 64 bytes covers all four cases.
  const end = Math.min(bytes.length - 16, frameStart + 4 + 64);
  for (let at = frameStart + 4; at < end; at++) {
    const id = String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
    if (id !== 'Xing' && id !== 'Info') continue;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const flags = view.getUint32(at + 4, false);
    const hasFrames = (flags & 1) !== 0;
    if ((flags & 2) === 0) return null;
    return view.getUint32(at + 8 + (hasFrames ? 4 : 0), false);
  }
  return null;
}
