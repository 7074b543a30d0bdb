import { createRequire } from 'node:module';

interface NodeWav {
  encode(channels: Float32Array[], options: { sampleRate: number; float?: boolean; bitDepth?: number }): Buffer;
}

// node-wav is CommonJS without type declarations; a typed require keeps strict mode honest.
const wav = createRequire(import.meta.url)('node-wav') as NodeWav;

/**
 * 16-bit PCM WAV bytes (node-wav). Samples are rounded to the nearest step first (node-wav
 * truncates toward zero, which would add a small signal-dependent bias) and clipped to [-1, 1).
 */
export function encodeWav16(samples: Float32Array, sampleRate: number): Buffer {
  const rounded = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-32768, Math.min(32767, Math.round((samples[i] as number) * 32768)));
    // node-wav scales positives by 32767 and negatives by 32768, then truncates toward
    // zero; half a step away from zero makes that truncation land exactly on v.
    rounded[i] = v < 0 ? (v - 0.5) / 32768 : (v + 0.5) / 32767;
  }
  return wav.encode([rounded], { sampleRate, bitDepth: 16 });
}
