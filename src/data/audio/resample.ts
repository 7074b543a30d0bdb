import libsamplerate from '@alexanderolsen/libsamplerate-js';
import { UserError } from '../../util/errors.js';

/**
 * Sample-rate conversion with libsamplerate (Erik de Castro Lopo's band-limited sinc
 * converter) compiled to WebAssembly. Deterministic: the same input gives the same
 * output bit for bit on every run and machine (pure WASM float arithmetic, no threads).
 *
 * Loading the WASM module is asynchronous (the package's `create` returns a Promise), so
 * `createResampler` is async and returns a converter whose `process` is synchronous; use
 * it in hot loops (augmentation), and `resample` for one-off calls.
 */
export type ResamplerQuality = 'best' | 'medium' | 'fastest';

export interface Resampler {
  readonly fromRate: number;
  readonly toRate: number;
  /** Resampled copy of `samples` (mono), exactly `outputLength(samples.length)` long. */
  process(samples: Float32Array): Float32Array;
  outputLength(inputLength: number): number;
}

/**
 * medium = SRC_SINC_MEDIUM_QUALITY: 121 dB SNR, 90 % of the band kept, ~30 ms per second
 * of 44.1 kHz audio here. best keeps 96 % but is twice as slow; fastest keeps only 80 %
 * (cutting 6.4-8 kHz at a 16 kHz target, where deepfake artefacts live).
 */
const converterTypes: Record<ResamplerQuality, 0 | 1 | 2> = { best: 0, medium: 1, fastest: 2 };
const MAX_RATE = 192_000;
/** The package copies through a fixed WASM buffer of this many samples (its constant). */
const LIBRARY_BUFFER = 1_008_000;

type Src = Awaited<ReturnType<typeof libsamplerate.create>>;
const converters = new Map<string, Promise<Src>>();

function converterFor(fromRate: number, toRate: number, quality: ResamplerQuality): Promise<Src> {
  const key = `${fromRate}:${toRate}:${quality}`;
  let converter = converters.get(key);
  if (converter === undefined) {
    converter = libsamplerate.create(1, fromRate, toRate, { converterType: converterTypes[quality] });
    converters.set(key, converter);
  }
  return converter;
}

export async function createResampler(fromRate: number, toRate: number, quality: ResamplerQuality = 'medium'): Promise<Resampler> {
  for (const rate of [fromRate, toRate]) {
    if (!Number.isInteger(rate) || rate < 1 || rate > MAX_RATE) throw new UserError(`cannot resample at ${rate} Hz: the resampler takes integer rates from 1 to ${MAX_RATE} Hz.`);
  }
  const outputLength = (inputLength: number): number => Math.ceil((inputLength * toRate) / fromRate);
  if (fromRate === toRate) return { fromRate, toRate, outputLength, process: (samples) => samples.slice() };
  const src = await converterFor(fromRate, toRate, quality);
  return { fromRate, toRate, outputLength, process: (samples) => stream(src, samples, outputLength(samples.length)) };
}

/** Resample mono `samples` from `fromRate` to `toRate` (a copy; same length rule as Resampler). */
export async function resample(samples: Float32Array, fromRate: number, toRate: number, quality: ResamplerQuality = 'medium'): Promise<Float32Array> {
  return (await createResampler(fromRate, toRate, quality)).process(samples);
}

/**
 * Through the streaming ("full") API in chunks, then zeros until the tail is out. The
 * package's one-shot `simple` call returns a length that varies with the converter
 * (n*ratio or one less), and for inputs over its buffer it falls back to a chunked path
 * that loses most of the output (30 s at 44.1 kHz comes back as 0.1 s); streaming
 * ourselves gives every length and every input size the same, exact treatment.
 * libsamplerate's output is aligned with its input (its latency is held back, not
 * emitted), and feeding zeros at the end is what end-of-input does internally.
 */
function stream(src: Src, samples: Float32Array, wanted: number): Float32Array {
  // Reassigning a rate re-initialises the converter's state (the package's documented way).
  // eslint-disable-next-line no-self-assign -- the setter's side effect is the point
  src.inputSampleRate = src.inputSampleRate;
  const ratio = src.outputSampleRate / src.inputSampleRate;
  const chunk = Math.max(1, Math.floor(Math.min(LIBRARY_BUFFER, LIBRARY_BUFFER / ratio) / 2));
  const output = new Float32Array(wanted);
  let written = 0;
  const take = (piece: Float32Array): void => {
    const room = Math.min(piece.length, wanted - written);
    output.set(piece.subarray(0, room), written);
    written += room;
  };
  for (let start = 0; start < samples.length && written < wanted; start += chunk) take(src.full(samples.subarray(start, start + chunk)));
  const zeros = new Float32Array(Math.min(chunk, Math.max(1024, Math.ceil(1 / ratio) * 64)));
  for (let guard = 0; written < wanted && guard < 1000; guard++) take(src.full(zeros));
  return output;
}
