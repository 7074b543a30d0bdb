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
 */
export async function decodeFlac(bytes: Uint8Array, offset: number, path: string): Promise<DecodedAudio> {
  const info = readStreamInfo(bytes, offset, path);
  // A fresh decoder per file: decodeFile resets asynchronously, so sharing one between
  // overlapping calls is unsafe, and creating one costs well under a millisecond once warm.
  const decoder = new FLACDecoder();
  await decoder.ready;
  let decoded;
  try {
    decoded = await decoder.decodeFile(bytes.subarray(offset));
  } catch (error) {
    throw new AudioFileError(path, `corrupt FLAC: the decoder failed (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  } finally {
    decoder.free();
  }
  const firstError = decoded.errors[0];
  if (firstError !== undefined) throw new AudioFileError(path, `corrupt FLAC: ${firstError.message} in frame ${firstError.frameNumber}`);
  const length = decoded.samplesDecoded;
  if (length === 0) throw new AudioFileError(path, info.totalSamples > 0 ? `corrupt FLAC: none of the ${info.totalSamples} declared samples could be decoded` : 'empty FLAC: no audio frames');
  if (info.totalSamples > 0 && length < info.totalSamples) {
    throw new AudioFileError(path, `truncated or corrupt FLAC: ${length} of the ${info.totalSamples} declared samples could be decoded`);
  }
  const channels = decoded.channelData.map((channel) => channel.subarray(0, length));
  const integers = toIntegers(channels, info.bitsPerSample);
  if (integers !== null && info.md5 !== null && md5OfSamples(integers, channels.length, length, info.bitsPerSample) !== info.md5) {
    throw new AudioFileError(path, 'corrupt FLAC: the decoded samples do not match the MD5 signature in the header');
  }
  // The decoder scales by 2^(bits-1) - 1; rescale to torchaudio's 2^(bits-1) so FLAC and
  // WAV copies of the same audio give the same numbers.
  const scaled = integers === null ? channels : integers.map((channel) => Float32Array.from(channel, (v) => v / 2 ** (info.bitsPerSample - 1)));
  return { samples: mixToMono(scaled, length), sampleRate: info.sampleRate, channels: channels.length };
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

/** The exact integer samples, recoverable from float32 up to 24 bits; null beyond. */
function toIntegers(channels: Float32Array[], bits: number): Int32Array[] | null {
  if (bits > 24) return null;
  const scale = 2 ** (bits - 1) - 1;
  return channels.map((channel) => Int32Array.from(channel, (v) => Math.round(v * scale)));
}

/** FLAC's signature: MD5 over interleaved little-endian samples of ceil(bits/8) bytes. */
function md5OfSamples(channels: Int32Array[], count: number, length: number, bits: number): string {
  const width = Math.ceil(bits / 8);
  const buffer = new Uint8Array(length * count * width);
  let position = 0;
  for (let i = 0; i < length; i++) {
    for (let c = 0; c < count; c++) {
      const value = channels[c]![i]!;
      for (let byte = 0; byte < width; byte++) buffer[position++] = (value >> (8 * byte)) & 0xff;
    }
  }
  return createHash('md5').update(buffer).digest('hex');
}
