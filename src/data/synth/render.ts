import type { Rng } from '../../util/rng.js';
import { applyBiquad, biquad, smoothingCoefficient } from './dsp.js';
import type { Segment, UtterancePlan } from './script.js';
import type { Voice } from './voice.js';

/**
 * How far a rendering departs from the natural voice. The natural model uses `naturalStyle`;
 * spoof families change these to leave their artefacts (too-regular pitch, smeared
 * formants...) or to splice differently-tuned renderings.
 */
export interface RenderStyle {
  jitterScale: number;
  shimmerScale: number;
  /** Scales every intonation movement (declination, accents, wander). */
  intonationScale: number;
  /** Semitones added to the whole contour. */
  f0OffsetSt: number;
  formantScale: number;
  bandwidthScale: number;
  /** Multiplies the formant trajectories' time constant (larger: sluggish, over-smoothed). */
  formantSmoothing: number;
  aspirationScale: number;
  gain: number;
}

export const naturalStyle: Readonly<RenderStyle> = {
  jitterScale: 1,
  shimmerScale: 1,
  intonationScale: 1,
  f0OffsetSt: 0,
  formantScale: 1,
  bandwidthScale: 1,
  formantSmoothing: 1,
  aspirationScale: 1,
  gain: 1,
};

const baseBandwidths = [70, 95, 140, 220, 280, 380, 480] as const;
/** Control-rate update period for the time-varying filters, in seconds. */
const controlPeriod = 0.001;

/** Per-sample control tracks derived from a plan. */
interface Tracks {
  voicing: Float64Array;
  noise: Float64Array;
  noiseCentre: Float64Array;
  noiseBandwidth: Float64Array;
  aspiration: Float64Array;
  formants: [Float64Array, Float64Array, Float64Array];
  f0: Float64Array;
}

/**
 * Render a plan with a Klatt-style cascade source-filter model: a Rosenberg glottal pulse
 * train (with jitter, shimmer, intonation) plus aspiration, through seven formant
 * resonators, plus frication noise through a band-pass; lip radiation is the
 * derivative of the glottal flow. Every random draw comes from `rng`.
 */
export function renderSpeech(plan: UtterancePlan, voice: Voice, sampleRate: number, rng: Rng, style: RenderStyle = naturalStyle): Float64Array {
  const length = Math.round(plan.durationSeconds * sampleRate);
  const tracks = buildTracks(plan, voice, sampleRate, length, style);
  const source = glottalSource(tracks, voice, sampleRate, length, rng.fork('glottis'), style);
  const voiced = formantCascade(source, tracks, voice, sampleRate, style);
  const frication = fricationNoise(tracks, sampleRate, length, rng.fork('frication'));
  const out = new Float64Array(length);
  for (let n = 0; n < length; n++) out[n] = ((voiced[n] as number) + (frication[n] as number)) * style.gain;
  // Remove DC and sub-audio drift from the integrated pulses.
  return applyBiquad(out, biquad('highpass', 60, sampleRate, 0.7));
}

function buildTracks(plan: UtterancePlan, voice: Voice, sampleRate: number, length: number, style: RenderStyle): Tracks {
  const targets = {
    voicing: new Float64Array(length),
    noise: new Float64Array(length),
    noiseCentre: new Float64Array(length).fill(3000),
    noiseBandwidth: new Float64Array(length).fill(2000),
    aspiration: new Float64Array(length),
    formants: [new Float64Array(length), new Float64Array(length), new Float64Array(length)] as [Float64Array, Float64Array, Float64Array],
  };
  const formantFactor = voice.formantScale * style.formantScale;
  const firstSegment = plan.segments[0];
  let current: Segment | undefined = firstSegment;
  let index = 0;
  for (let n = 0; n < length; n++) {
    const t = n / sampleRate;
    while (current !== undefined && t >= current.end && index < plan.segments.length - 1) current = plan.segments[++index];
    const segment = current !== undefined && t >= current.start && t < current.end ? current : undefined;
    const reference = segment ?? current ?? firstSegment;
    if (reference !== undefined) {
      const progress = segment === undefined ? 0 : (t - segment.start) / Math.max(1e-6, segment.end - segment.start);
      for (let f = 0; f < 3; f++) {
        const a = reference.from[f] as number;
        const b = reference.to[f] as number;
        (targets.formants[f] as Float64Array)[n] = (a + (b - a) * progress) * formantFactor;
      }
    }
    if (segment === undefined) continue;
    targets.voicing[n] = segment.voicing;
    targets.noise[n] = segment.noise;
    targets.noiseCentre[n] = segment.noiseCentre;
    targets.noiseBandwidth[n] = segment.noiseBandwidth;
    targets.aspiration[n] = segment.aspiration;
  }
  // Articulators move smoothly: one-pole smoothing of every target track.
  smooth(targets.voicing, smoothingCoefficient(0.008, sampleRate));
  smooth(targets.noise, smoothingCoefficient(0.003, sampleRate));
  smooth(targets.aspiration, smoothingCoefficient(0.004, sampleRate));
  const formantCoefficient = smoothingCoefficient((0.018 * style.formantSmoothing) / voice.rate, sampleRate);
  for (const track of targets.formants) smooth(track, formantCoefficient);
  return { ...targets, f0: intonation(plan, voice, sampleRate, length, style) };
}

function smooth(track: Float64Array, coefficient: number): void {
  let state = track[0] ?? 0;
  for (let n = 0; n < track.length; n++) {
    state = coefficient * state + (1 - coefficient) * (track[n] as number);
    track[n] = state;
  }
}

function intonation(plan: UtterancePlan, voice: Voice, sampleRate: number, length: number, style: RenderStyle): Float64Array {
  const f0 = new Float64Array(length);
  const span = Math.max(0.1, plan.speechEnd - plan.speechStart);
  const range = (voice.f0RangeSt / 3.5) * style.intonationScale;
  for (let n = 0; n < length; n++) {
    const t = n / sampleRate;
    const progress = Math.min(1, Math.max(0, (t - plan.speechStart) / span));
    let st = plan.declinationSt * (progress - 0.5);
    for (const accent of plan.accents) st += accent.heightSt * Math.exp(-0.5 * ((t - accent.time) / accent.widthSeconds) ** 2);
    for (const w of plan.wander) st += w.amplitudeSt * Math.sin(2 * Math.PI * w.hz * t + w.phase);
    st += plan.finalFallSt * Math.max(0, (progress - 0.8) / 0.2) ** 2;
    f0[n] = voice.f0Hz * 2 ** ((st * range + style.f0OffsetSt) / 12);
  }
  return f0;
}

/**
 * Rosenberg glottal flow, period by period: each period draws its length (jitter) and
 * amplitude (shimmer); the flow's derivative (lip radiation) is the excitation, plus
 * aspiration noise that is stronger while the glottis is open.
 */
function glottalSource(tracks: Tracks, voice: Voice, sampleRate: number, length: number, rng: Rng, style: RenderStyle): Float64Array {
  const out = new Float64Array(length);
  let periodStart = 0;
  let period = sampleRate / (tracks.f0[0] as number);
  let amplitude = 1;
  let previousFlow = 0;
  let tiltState = 0;
  const jitter = voice.jitter * style.jitterScale;
  const shimmer = voice.shimmer * style.shimmerScale;
  const breathiness = voice.breathiness * style.aspirationScale;
  for (let n = 0; n < length; n++) {
    let phase = n - periodStart;
    if (phase >= period) {
      periodStart += period;
      phase = n - periodStart;
      period = (sampleRate / (tracks.f0[n] as number)) * (1 + jitter * clampNormal(rng));
      amplitude = Math.max(0.2, 1 + shimmer * clampNormal(rng));
    }
    const open = voice.openQuotient * period;
    const rise = (open * voice.skew) / (1 + voice.skew);
    const fall = open - rise;
    let flow = 0;
    if (phase < rise) flow = 0.5 * (1 - Math.cos((Math.PI * phase) / rise));
    else if (phase < open) flow = Math.cos((Math.PI * (phase - rise)) / (2 * fall));
    // Scale the derivative by the period so loudness does not follow f0.
    const derivative = (flow - previousFlow) * (period / 100);
    previousFlow = flow;
    const voicing = tracks.voicing[n] as number;
    const aspirationGain = breathiness * voicing * (0.4 + flow) + (tracks.aspiration[n] as number) * style.aspirationScale;
    const excitation = voicing * amplitude * derivative + aspirationGain * 0.15 * rng.normal();
    tiltState = voice.tilt * tiltState + (1 - voice.tilt) * excitation;
    out[n] = tiltState;
  }
  return out;
}

function clampNormal(rng: Rng): number {
  return Math.max(-3, Math.min(3, rng.normal()));
}

/**
 * Seven Klatt resonators in cascade (F1-F3 moving, F4-F7 fixed per voice), coefficients
 * updated every millisecond. The fixed upper formants keep the high band at a natural
 * level; with F1-F5 alone the cascade rolls off far too fast above 5 kHz.
 */
function formantCascade(source: Float64Array, tracks: Tracks, voice: Voice, sampleRate: number, style: RenderStyle): Float64Array {
  const out = Float64Array.from(source);
  const step = Math.max(1, Math.round(controlPeriod * sampleRate));
  const fixedFormants = [3300, 4300, 5400, 6500].map((f) => f * voice.formantScale * style.formantScale);
  const limit = 0.45 * sampleRate;
  for (let r = 0; r < baseBandwidths.length; r++) {
    const bandwidth = (baseBandwidths[r] as number) * voice.bandwidthScale * style.bandwidthScale;
    let y1 = 0;
    let y2 = 0;
    let a = 1;
    let b = 0;
    let c = 0;
    for (let n = 0; n < out.length; n++) {
      if (n % step === 0) {
        const frequency = r < 3 ? ((tracks.formants[r] as Float64Array)[n] as number) : (fixedFormants[r - 3] as number);
        if (frequency >= limit) {
          // A formant above the band limit of this rate is left out (pass-through).
          a = 1;
          b = 0;
          c = 0;
        } else {
          c = -Math.exp((-2 * Math.PI * bandwidth) / sampleRate);
          b = 2 * Math.exp((-Math.PI * bandwidth) / sampleRate) * Math.cos((2 * Math.PI * frequency) / sampleRate);
          a = 1 - b - c;
        }
      }
      const y = a * (out[n] as number) + b * y1 + c * y2;
      y2 = y1;
      y1 = y;
      out[n] = y;
    }
  }
  return out;
}

/** White noise through a time-varying band-pass (the frication source). */
function fricationNoise(tracks: Tracks, sampleRate: number, length: number, rng: Rng): Float64Array {
  const out = new Float64Array(length);
  const step = Math.max(1, Math.round(controlPeriod * sampleRate));
  let coefficients = biquad('bandpass', 3000, sampleRate, 1);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let n = 0; n < length; n++) {
    const amplitude = tracks.noise[n] as number;
    if (n % step === 0 && amplitude > 1e-4) {
      const centre = Math.min(tracks.noiseCentre[n] as number, 0.42 * sampleRate);
      const q = centre / Math.max(200, tracks.noiseBandwidth[n] as number);
      coefficients = biquad('bandpass', centre, sampleRate, Math.max(0.3, q));
    }
    const x0 = amplitude > 1e-4 ? amplitude * rng.normal() : 0;
    const c = coefficients;
    const y0 = c.b0 * x0 + c.b1 * x1 + c.b2 * x2 - c.a1 * y1 - c.a2 * y2;
    x2 = x1;
    x1 = x0;
    y2 = y1;
    y1 = y0;
    out[n] = y0;
  }
  return out;
}
