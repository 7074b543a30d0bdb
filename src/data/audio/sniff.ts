/**
 * Which container a file holds, judged by its first bytes (magic numbers), because
 * dataset files are often misnamed (".wav" that is FLAC, ".mp3" that is WAV) and a
 * decoder fed the wrong format produces noise instead of an error.
 */
export type AudioContainer = 'wav' | 'flac' | 'mp3';

export interface SniffResult {
  container: AudioContainer | null;
  /** Where the audio stream starts (after an ID3v2 tag, if any). */
  offset: number;
  /** A short description of what was found, for messages about unknown formats. */
  seen: string;
}

const ascii = (bytes: Uint8Array, start: number, length: number): string =>
  String.fromCharCode(...bytes.subarray(start, start + length));

/** Size of an ID3v2 tag at `offset` (header + body + optional footer), or 0 if none. */
export function id3v2Size(bytes: Uint8Array, offset = 0): number {
  if (bytes.length < offset + 10 || ascii(bytes, offset, 3) !== 'ID3') return 0;
  // The size is "syncsafe": four 7-bit groups, most significant first.
  const size = ((bytes[offset + 6]! & 0x7f) << 21) | ((bytes[offset + 7]! & 0x7f) << 14) | ((bytes[offset + 8]! & 0x7f) << 7) | (bytes[offset + 9]! & 0x7f);
  const hasFooter = (bytes[offset + 5]! & 0x10) !== 0;
  return 10 + size + (hasFooter ? 10 : 0);
}

/** True if `offset` starts a plausible MPEG audio frame header (sync, no reserved field values). */
export function isMpegFrameHeader(bytes: Uint8Array, offset: number): boolean {
  if (bytes.length < offset + 4) return false;
  const b1 = bytes[offset + 1]!;
  const b2 = bytes[offset + 2]!;
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 3; // 1 is reserved
  const layer = (b1 >> 1) & 3; // 0 is reserved
  const bitrateIndex = b2 >> 4; // 15 is invalid
  const rateIndex = (b2 >> 2) & 3; // 3 is reserved
  return version !== 1 && layer !== 0 && bitrateIndex !== 15 && rateIndex !== 3;
}

export function sniffContainer(bytes: Uint8Array): SniffResult {
  const seen = describeStart(bytes);
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE') return { container: 'wav', offset: 0, seen };
  const tag = id3v2Size(bytes);
  if (bytes.length >= tag + 4 && ascii(bytes, tag, 4) === 'fLaC') return { container: 'flac', offset: tag, seen };
  if (isMpegFrameHeader(bytes, tag)) return { container: 'mp3', offset: tag, seen };
  // Some taggers leave zero padding between the ID3 tag and the first frame.
  if (tag > 0) {
    const limit = Math.min(bytes.length - 4, tag + 64 * 1024);
    for (let i = tag; i < limit; i++) if (isMpegFrameHeader(bytes, i)) return { container: 'mp3', offset: i, seen };
  }
  return { container: null, offset: 0, seen };
}

/** Formats recognised only to name them in the refusal (no npm decoder in ablate reads them). */
const knownUnsupported: Array<[magic: string, at: number, name: string]> = [
  ['OggS', 0, 'an Ogg stream (Vorbis/Opus)'],
  ['RF64', 0, 'an RF64 (64-bit WAV) file'],
  ['RIFX', 0, 'a big-endian RIFX WAV file'],
  ['FORM', 0, 'an AIFF file'],
  ['ftyp', 4, 'an MP4/M4A file'],
  ['caff', 0, 'a CAF file'],
];

function describeStart(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'is empty';
  for (const [magic, at, name] of knownUnsupported) if (bytes.length >= at + 4 && ascii(bytes, at, 4) === magic) return `is ${name}`;
  const head = bytes.subarray(0, 12);
  const printable = [...head].every((b) => b >= 0x20 && b < 0x7f);
  if (printable) return `starts with the text "${ascii(head, 0, head.length)}"`;
  return `starts with bytes ${[...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`;
}
