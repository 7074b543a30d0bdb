import { createHash } from 'node:crypto';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { AudioFileError } from './audio-error.js';
import { mixToMono, type DecodedAudio } from './mixdown.js';

interface StreamInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 0 when the encoder did not know it. */
  totalSamples: number;
  /** Hex MD5 of the decoded samples, or null when the encoder left it zero. */
  md5: string | null;
}

/**
 * FLAC through @wasm-audio-decoders/flac. That decoder skips frames it cannot decode
 * without reporting them (a truncated or damaged file just comes out shorter), so the
 * result is checked against the STREAMINFO block: the declared sample count and the MD5
 * of the decoded samples, which the FLAC format carries for exactly this purpose.
 * 32-bit FLAC cannot be rounded back to integers from float32, so it is used unchecked
 * beyond the sample count.
 */
export async function decodeFlac(bytes: Uint8Array, offset: number, path: string): Promise<DecodedAudio> {
  const info = readStreamInfo(bytes, offset, path);
  const decoded = await withDecoder(async (decoder) => {
    try {
      return await decoder.decodeFile(bytes.subarray(offset));
    } catch (error) {
      discardDecoder();
      throw new AudioFileError(path, `corrupt FLAC: the decoder failed (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
  });
  const firstError = decoded.errors[0];
  if (firstError !== undefined) throw new AudioFileError(path, `corrupt FLAC: ${firstError.message} in frame ${firstError.frameNumber}`);
  const length = decoded.samplesDecoded;
  if (length === 0) throw new AudioFileError(path, info.totalSamples > 0 ? `corrupt FLAC: none of the ${info.totalSamples} declared samples could be decoded` : 'empty FLAC: no audio frames');
  if (info.totalSamples > 0 && length < info.totalSamples) {
    throw new AudioFileError(path, `truncated or corrupt FLAC: ${length} of the ${info.totalSamples} declared samples could be decoded`);
  }
  const channels = decoded.channelData.map((channel) => channel.subarray(0, length));
  if (info.bitsPerSample > 24) return { samples: mixToMono(channels, length), sampleRate: info.sampleRate, channels: channels.length };
  const { mono, md5 } = integerMixdown(channels, length, info.bitsPerSample);
  if (info.md5 !== null && md5 !== info.md5) throw new AudioFileError(path, 'corrupt FLAC: the decoded samples do not match the MD5 signature in the header');
  return { samples: mono, sampleRate: info.sampleRate, channels: channels.length };
}

/*
 * One decoder for the process, used by one file at a time: creating a decoder costs more
 * than decoding a short clip, and decodeFile resets it asynchronously, so overlapping
 * calls on a shared decoder would be unsafe without the queue.
 */
let shared: Promise<FLACDecoder> | null = null;
let queue: Promise<unknown> = Promise.resolve();

function withDecoder<T>(use: (decoder: FLACDecoder) => Promise<T>): Promise<T> {
  const run = queue.then(async () => {
    shared ??= (async () => {
      const decoder = new FLACDecoder();
      await decoder.ready;
      return decoder;
    })();
    return use(await shared);
  });
  queue = run.catch(() => undefined);
  return run;
}

/** After a decoder failure its state is unknown: the next file gets a fresh one. */
function discardDecoder(): void {
  const old = shared;
  shared = null;
  void old?.then((decoder) => decoder.free()).catch(() => undefined);
}

/**
 * The exact integer samples (the decoder hands out int / (2^(bits-1) - 1) as float32,
 * which rounds back exactly up to 24 bits), their MD5 in FLAC's layout (interleaved,
 * little-endian, ceil(bits/8) bytes each), and the mono mix scaled by 2^(bits-1) like
 * torchaudio, so FLAC and WAV copies of the same audio give the same numbers.
 */
function integerMixdown(channels: Float32Array[], length: number, bits: number): { mono: Float32Array; md5: string } {
  const toInteger = 2 ** (bits - 1) - 1;
  const count = channels.length;
  const width = Math.ceil(bits / 8);
  const bytes = new Uint8Array(length * count * width);
  const view = new DataView(bytes.buffer);
  const mono = new Float32Array(length);
  const toSample = 1 / (count * 2 ** (bits - 1));
  let position = 0;
  for (let i = 0; i < length; i++) {
    let sum = 0;
    for (let c = 0; c < count; c++) {
      const value = Math.round(channels[c]![i]! * toInteger);
      sum += value;
      if (width === 2) view.setInt16(position, value, true);
      else if (width === 1) view.setInt8(position, value);
      else {
        bytes[position] = value & 0xff;
        bytes[position + 1] = (value >> 8) & 0xff;
        bytes[position + 2] = (value >> 16) & 0xff;
      }
      position += width;
    }
    mono[i] = sum * toSample;
  }
  return { mono, md5: createHash('md5').update(bytes).digest('hex') };
}

function readStreamInfo(bytes: Uint8Array, offset: number, path: string): StreamInfo {
  // "fLaC", then a metadata block header (type 0 = STREAMINFO, 24-bit length 34), then the block.
  const at = offset + 8;
  if (bytes.length < at + 34 || (bytes[offset + 4]! & 0x7f) !== 0) throw new AudioFileError(path, 'truncated or corrupt FLAC: the STREAMINFO header is missing or cut short');
  const b = (i: number): number => bytes[at + i]!;
  const sampleRate = (b(10) << 12) | (b(11) << 4) | (b(12) >> 4);
  const channels = ((b(12) >> 1) & 0x07) + 1;
  const bitsPerSample = (((b(12) & 0x01) << 4) | (b(13) >> 4)) + 1;
  const totalSamples = (b(13) & 0x0f) * 2 ** 32 + ((b(14) << 24) >>> 0) + (b(15) << 16) + (b(16) << 8) + b(17);
  const md5Bytes = bytes.subarray(at + 18, at + 34);
  const md5 = md5Bytes.every((v) => v === 0) ? null : Buffer.from(md5Bytes).toString('hex');
  if (sampleRate === 0) throw new AudioFileError(path, 'corrupt FLAC: STREAMINFO gives a sample rate of 0');
  return { sampleRate, channels, bitsPerSample, totalSamples, md5 };
}
