import type { Rng } from '../../util/rng.js';
import { fftConvolution } from '../augment/fir-filter.js';
import { applyBiquad, applySteep, biquad, dbToGain, rms, type BiquadKind } from './dsp.js';

/**
 * A recording channel: room, microphone colour, noise, band limit. Each domain has its
 * own, and bona fide and spoofed items of a domain go through the same one (with the same
 * per-item variation), so the channel tells domains apart but never classes.
 */
export interface ChannelSpec {
  description: string;
  highpassHz: number;
  lowpassHz: number;
  eq: ReadonlyArray<{ kind: Extract<BiquadKind, 'peak' | 'lowshelf' | 'highshelf'>; hz: number; gainDb: number; q: number }>;
  noise: { color: 'white' | 'pink' | 'brown'; snrDb: readonly [number, number] };
  /** Mains hum (fundamental and two harmonics), level relative to the speech. */
  hum?: { hz: 50 | 60; levelDb: readonly [number, number] };
  /** A small room: exponentially decaying noise impulse response. */
  reverb?: { rt60: readonly [number, number]; wet: number };
  /** Target RMS of the finished clip, dBFS. */
  loudnessDb: readonly [number, number];
}

export function applyChannel(speech: Float64Array, spec: ChannelSpec, sampleRate: number, speechRange: readonly [number, number], rng: Rng): Float64Array {
  let x: Float64Array = Float64Array.from(speech);
  if (spec.reverb !== undefined) x = reverberate(x, spec.reverb, sampleRate, rng.fork('reverb'));
  const speechLevel = rms(x, speechRange[0], speechRange[1]);
  const noise = colouredNoise(x.length, spec.noise.color, rng.fork('noise'));
  const noiseGain = speechLevel / Math.max(1e-12, rms(noise)) / dbToGain(rng.between(spec.noise.snrDb[0], spec.noise.snrDb[1]));
  for (let n = 0; n < x.length; n++) x[n] = (x[n] as number) + noiseGain * (noise[n] as number);
  if (spec.hum !== undefined) {
    const level = (speechLevel * dbToGain(rng.between(spec.hum.levelDb[0], spec.hum.levelDb[1]))) / Math.SQRT1_2;
    const phase = rng.between(0, 2 * Math.PI);
    for (let n = 0; n < x.length; n++) {
      const t = (2 * Math.PI * spec.hum.hz * n) / sampleRate + phase;
      x[n] = (x[n] as number) + level * (Math.sin(t) + 0.5 * Math.sin(2 * t) + 0.25 * Math.sin(3 * t));
    }
  }
  for (const band of spec.eq) {
    // Each item's microphone differs a little from the domain's nominal one.
    const gain = band.gainDb + rng.between(-1, 1);
    applyBiquad(x, biquad(band.kind, band.hz * rng.between(0.95, 1.05), sampleRate, band.q, gain));
  }
  applySteep(x, 'highpass', spec.highpassHz * rng.between(0.9, 1.1), sampleRate, 2);
  applySteep(x, 'lowpass', Math.min(0.48 * sampleRate, spec.lowpassHz * rng.between(0.97, 1.03)), sampleRate, 6);
  return x;
}

function colouredNoise(length: number, color: 'white' | 'pink' | 'brown', rng: Rng): Float64Array {
  const out = new Float64Array(length);
  // Pink: Paul Kellet's economy filter; brown: leaky integration of white noise.
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let brown = 0;
  for (let n = 0; n < length; n++) {
    const white = rng.normal();
    if (color === 'white') out[n] = white;
    else if (color === 'pink') {
      b0 = 0.99765 * b0 + white * 0.099046;
      b1 = 0.963 * b1 + white * 0.2965164;
      b2 = 0.57 * b2 + white * 1.0526913;
      out[n] = b0 + b1 + b2 + white * 0.1848;
    } else {
      brown = 0.995 * brown + white * 0.1;
      out[n] = brown;
    }
  }
  return out;
}

function reverberate(x: Float64Array, reverb: NonNullable<ChannelSpec['reverb']>, sampleRate: number, rng: Rng): Float64Array {
  const rt60 = rng.between(reverb.rt60[0], reverb.rt60[1]);
  const length = Math.round(rt60 * sampleRate * 0.6);
  const response = new Float64Array(length);
  const decay = Math.log(1000) / (rt60 * sampleRate);
  let energy = 0;
  for (let n = 0; n < length; n++) {
    response[n] = rng.normal() * Math.exp(-decay * n);
    energy += (response[n] as number) ** 2;
  }
  const norm = reverb.wet / Math.sqrt(energy);
  response[0] = 0;
  const tail = fftConvolution(x, response);
  const out = Float64Array.from(x);
  for (let n = 0; n < x.length; n++) out[n] = (out[n] as number) + (tail[n] as number) * norm;
  return out;
}
