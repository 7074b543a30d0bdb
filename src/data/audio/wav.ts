import { AudioFileError } from './audio-error.js';
import type { DecodedAudio } from './mixdown.js';

/*
 * A RIFF/WAVE reader written here rather than taken from node-wav, because node-wav
 * (0.0.2) rejects WAVE_FORMAT_EXTENSIBLE (what sox and most tools write for 24-bit or
 * multichannel files), scales positive and negative PCM differently (x/32767 vs
 * x/32768, torchaudio uses 2^(bits-1) for both), and returns NaN samples instead of an
 * error for a truncated data chunk. The format is small: a chunk list, a fmt chunk and
 * interleaved little-endian samples.
 */

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Writers that stream to a pipe cannot seek back and leave the size at its maximum. */
const UNKNOWN_SIZE = 0xffffffff;

const formatNames: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0055: 'MPEG layer 3',
};

interface WavFormat {
  encoding: 'int' | 'float';
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
}

export function decodeWav(bytes: Uint8Array, path: string): DecodedAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number): string => String.fromCharCode(bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!);
  let format: WavFormat | null = null;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (body + Math.min(size, 16) > bytes.length || size < 16) throw new AudioFileError(path, `truncated or corrupt WAV: the "fmt " chunk is ${size} bytes but ${bytes.length - body} remain`);
      format = readFormat(view, body, size, path);
    } else if (id === 'data') {
      if (format === null) throw new AudioFileError(path, 'corrupt WAV: the "data" chunk comes before any "fmt " chunk');
      const available = bytes.length - body;
      let length = size;
      if (size === UNKNOWN_SIZE) length = available - (available % format.blockAlign);
      else if (size > available) throw new AudioFileError(path, `truncated WAV: the data chunk declares ${size} bytes but only ${available} are present`);
      else if (size % format.blockAlign !== 0) throw new AudioFileError(path, `corrupt WAV: the data chunk's ${size} bytes are not a whole number of ${format.blockAlign}-byte sample frames`);
      const frames = length / format.blockAlign;
      if (frames === 0) throw new AudioFileError(path, 'empty WAV: the data chunk holds no samples');
      return { samples: readMono(view, body, frames, format), sampleRate: format.sampleRate, channels: format.channels };
    }
    // Chunks are word-aligned: an odd-sized chunk is followed by a pad byte.
    offset = body + size + (size & 1);
  }
  if (format === null) throw new AudioFileError(path, bytes.length < 44 ? `truncated WAV: only ${bytes.length} bytes, the header is cut short` : 'corrupt WAV: no "fmt " chunk');
  throw new AudioFileError(path, 'truncated or corrupt WAV: no "data" chunk (the file ends before the samples)');
}

function readFormat(view: DataView, at: number, size: number, path: string): WavFormat {
  let formatTag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    // The real format is the first two bytes of the SubFormat GUID at offset 24.
    if (size < 40 || at + 26 > view.byteLength) throw new AudioFileError(path, 'corrupt WAV: WAVE_FORMAT_EXTENSIBLE header too short');
    formatTag = view.getUint16(at + 24, true);
  }
  const encoding = formatTag === WAVE_FORMAT_PCM ? 'int' : formatTag === WAVE_FORMAT_IEEE_FLOAT ? 'float' : null;
  if (encoding === null) {
    const name = formatNames[formatTag] ?? `format tag 0x${formatTag.toString(16).padStart(4, '0')}`;
    throw new AudioFileError(path, `unsupported WAV encoding ${name}`, {
      hint: 'ablate reads PCM (8/16/24/32-bit) and float (32/64-bit) WAV; convert it, e.g. `sox in.wav -e signed-integer -b 16 out.wav`.',
    });
  }
  const supported = encoding === 'int' ? [8, 16, 24, 32] : [32, 64];
  if (!supported.includes(bitsPerSample)) throw new AudioFileError(path, `unsupported WAV sample size: ${bitsPerSample}-bit ${encoding === 'int' ? 'PCM' : 'float'} (expected ${supported.join('/')})`);
  if (channels === 0 || sampleRate === 0) throw new AudioFileError(path, `corrupt WAV: ${channels} channels at ${sampleRate} Hz`);
  if (blockAlign !== channels * (bitsPerSample / 8)) throw new AudioFileError(path, `corrupt WAV: block size ${blockAlign} does not match ${channels} channels x ${bitsPerSample} bits`);
  return { encoding, channels, sampleRate, bitsPerSample, blockAlign };
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Interleaved samples straight into their channel mean, scaled like torchaudio.load. */
function readMono(view: DataView, at: number, frames: number, format: WavFormat): Float32Array {
  const { channels, bitsPerSample, encoding } = format;
  const values = frames * channels;
  const interleaved = typedView(view, at, values, encoding, bitsPerSample);
  const mono = new Float32Array(frames);
  if (interleaved !== null) {
    // Fast path: a typed-array view of the samples (little-endian host, aligned data).
    const scale = (encoding === 'float' ? 1 : 1 / 2 ** (bitsPerSample - 1)) / channels;
    if (channels === 1) for (let i = 0; i < frames; i++) mono[i] = interleaved[i]! * scale;
    else {
      for (let i = 0, j = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0; c < channels; c++) sum += interleaved[j++]!;
        mono[i] = sum * scale;
      }
    }
    return mono;
  }
  const bytesPerSample = bitsPerSample / 8;
  const read = sampleReader(view, encoding, bitsPerSample);
  const scale = 1 / channels;
  let position = at;
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, position += bytesPerSample) sum += read(position);
    mono[i] = sum * scale;
  }
  return mono;
}

type SampleArray = Int16Array | Int32Array | Float32Array | Float64Array;

function typedView(view: DataView, at: number, values: number, encoding: 'int' | 'float', bits: number): SampleArray | null {
  const offset = view.byteOffset + at;
  if (!LITTLE_ENDIAN_HOST) return null;
  const make = <T>(Type: { new (buffer: ArrayBufferLike, offset: number, length: number): T; BYTES_PER_ELEMENT: number }): T | null =>
    offset % Type.BYTES_PER_ELEMENT === 0 ? new Type(view.buffer, offset, values) : null;
  if (encoding === 'float') return bits === 32 ? make(Float32Array) : make(Float64Array);
  if (bits === 16) return make(Int16Array);
  if (bits === 32) return make(Int32Array);
  return null;
}

function sampleReader(view: DataView, encoding: 'int' | 'float', bits: number): (at: number) => number {
  if (encoding === 'float') return bits === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true);
  switch (bits) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128; // 8-bit WAV is unsigned, centred on 128
    case 16:
      return (at) => view.getInt16(at, true) / 32768;
    case 24:
      return (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608);
    default:
      return (at) => view.getInt32(at, true) / 2147483648;
  }
}
