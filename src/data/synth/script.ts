import type { Rng } from '../../util/rng.js';
import type { Voice } from './voice.js';

/** Formant targets F1-F3 (Hz, adult male; scaled per voice). */
export type Formants = readonly [number, number, number];

/** Vowels after Peterson & Barney (1952). */
const vowels: readonly Formants[] = [
  [270, 2290, 3010],
  [390, 1990, 2550],
  [530, 1840, 2480],
  [660, 1720, 2410],
  [730, 1090, 2440],
  [570, 840, 2410],
  [440, 1020, 2240],
  [300, 870, 2240],
  [640, 1190, 2390],
  [490, 1350, 1690],
];

const nasals: readonly Formants[] = [
  [280, 1100, 2300],
  [280, 1600, 2500],
];

/** Fricative noise bands: centre, bandwidth (Hz) and level relative to a vowel. */
const fricatives: ReadonlyArray<{ centre: number; bandwidth: number; level: number; voiced: boolean }> = [
  { centre: 5600, bandwidth: 2200, level: 0.15, voiced: false },
  { centre: 3100, bandwidth: 1500, level: 0.12, voiced: false },
  { centre: 4800, bandwidth: 5000, level: 0.03, voiced: false },
  { centre: 5600, bandwidth: 2200, level: 0.09, voiced: true },
  { centre: 4800, bandwidth: 5000, level: 0.025, voiced: true },
];

/** Plosive bursts: centre and bandwidth of the release noise. */
const bursts: ReadonlyArray<{ centre: number; bandwidth: number }> = [
  { centre: 900, bandwidth: 2000 },
  { centre: 4200, bandwidth: 3000 },
  { centre: 2200, bandwidth: 1500 },
];

export type SegmentKind = 'vowel' | 'nasal' | 'fricative' | 'closure' | 'burst' | 'aspiration' | 'pause';

/** One stretch of the utterance; times in seconds so one plan renders at any sample rate. */
export interface Segment {
  kind: SegmentKind;
  start: number;
  end: number;
  /** Formant targets at the start and the end of the segment (vowels glide between them). */
  from: Formants;
  to: Formants;
  /** Voicing amplitude (0 = voiceless). */
  voicing: number;
  /** Frication noise amplitude and band. */
  noise: number;
  noiseCentre: number;
  noiseBandwidth: number;
  /** Aspiration through the vocal tract (h, plosive release). */
  aspiration: number;
}

export interface Accent {
  time: number;
  heightSt: number;
  widthSeconds: number;
}

export interface Wander {
  hz: number;
  phase: number;
  amplitudeSt: number;
}

/**
 * What is said and how: a sequence of segments between a leading and a trailing
 * silence, and the intonation (declination, pitch accents, slow wander). A plan is
 * rendered by the natural source-filter model and by every spoof family, so bona fide
 * and spoofed items carry the same kind of content.
 */
export interface UtterancePlan {
  durationSeconds: number;
  speechStart: number;
  speechEnd: number;
  segments: Segment[];
  declinationSt: number;
  finalFallSt: number;
  accents: Accent[];
  wander: Wander[];
}

/**
 * From the first to the last segment that makes sound (a plan may open with a stop
 * closure or end in a pause, which are silent). Gating outside this range keeps spectral
 * processing from smearing energy into those silences.
 */
export function audibleRange(plan: UtterancePlan): [number, number] {
  const sounding = plan.segments.filter((s) => s.kind !== 'closure' && s.kind !== 'pause');
  const first = sounding[0];
  const last = sounding[sounding.length - 1];
  return first === undefined || last === undefined ? [plan.speechStart, plan.speechEnd] : [first.start, last.end];
}

export interface PlanTiming {
  durationSeconds: number;
  leadingSilenceSeconds: number;
  trailingSilenceSeconds: number;
}

/** Duration and silences: drawn from the same ranges for both classes (no shortcut). */
export function drawTiming(rng: Rng, clipSeconds: number): PlanTiming {
  return {
    durationSeconds: clipSeconds * rng.between(0.85, 1.15),
    leadingSilenceSeconds: rng.between(0.04, 0.22) * Math.min(1, clipSeconds),
    trailingSilenceSeconds: rng.between(0.04, 0.14) * Math.min(1, clipSeconds),
  };
}

export function drawPlan(rng: Rng, voice: Voice, timing: PlanTiming): UtterancePlan {
  const speechStart = timing.leadingSilenceSeconds;
  const speechEnd = timing.durationSeconds - timing.trailingSilenceSeconds;
  const segments: Segment[] = [];
  let t = speechStart;
  const pick = <T>(list: readonly T[]): T => list[rng.int(list.length)] as T;
  const scale = (seconds: number): number => seconds / voice.rate;
  let previous: Formants = pick(vowels);
  const push = (segment: Omit<Segment, 'start' | 'end'>, seconds: number): void => {
    const end = Math.min(speechEnd, t + seconds);
    if (end - t > 0.004) segments.push({ ...segment, start: t, end });
    t = end;
  };
  const silent = { voicing: 0, noise: 0, noiseCentre: 1000, noiseBandwidth: 1000, aspiration: 0 };
  while (t < speechEnd - 0.03) {
    // A word: 1-3 syllables of (C)V(C).
    const syllables = 1 + rng.int(3);
    for (let s = 0; s < syllables && t < speechEnd - 0.03; s++) {
      const stress = s === 0 || rng.uniform() < 0.3 ? 1 : rng.between(0.55, 0.8);
      const onset = rng.uniform();
      if (onset < 0.3) {
        const burst = pick(bursts);
        push({ kind: 'closure', from: previous, to: previous, ...silent }, scale(rng.between(0.03, 0.06)));
        push({ kind: 'burst', from: previous, to: previous, ...silent, noise: 0.5, noiseCentre: burst.centre, noiseBandwidth: burst.bandwidth }, scale(rng.between(0.006, 0.014)));
        push({ kind: 'aspiration', from: previous, to: previous, ...silent, aspiration: 0.25 }, scale(rng.between(0.015, 0.045)));
      } else if (onset < 0.6) {
        const fricative = pick(fricatives);
        push(
          {
            kind: 'fricative',
            from: previous,
            to: previous,
            voicing: fricative.voiced ? 0.3 : 0,
            noise: fricative.level,
            noiseCentre: fricative.centre,
            noiseBandwidth: fricative.bandwidth,
            aspiration: 0,
          },
          scale(rng.between(0.06, 0.12)),
        );
      } else if (onset < 0.8) {
        const nasal = pick(nasals);
        push({ kind: 'nasal', from: nasal, to: nasal, ...silent, voicing: 0.3 }, scale(rng.between(0.04, 0.08)));
        previous = nasal;
      }
      const first = pick(vowels);
      const second = rng.uniform() < 0.35 ? pick(vowels) : first;
      push({ kind: 'vowel', from: first, to: second, ...silent, voicing: stress }, scale(rng.between(0.07, 0.16) * (0.7 + 0.5 * stress)));
      previous = second;
      if (rng.uniform() < 0.25) {
        const nasal = pick(nasals);
        push({ kind: 'nasal', from: nasal, to: nasal, ...silent, voicing: 0.28 }, scale(rng.between(0.04, 0.07)));
        previous = nasal;
      }
    }
    // Between words: mostly none, sometimes a short pause, rarely a phrase break.
    const gap = rng.uniform();
    if (gap < 0.25) push({ kind: 'pause', from: previous, to: previous, ...silent }, rng.between(0.05, 0.12));
    else if (gap < 0.32) push({ kind: 'pause', from: previous, to: previous, ...silent }, rng.between(0.15, 0.3));
  }
  // The last segment closes exactly at speechEnd.
  const last = segments[segments.length - 1];
  if (last !== undefined) last.end = speechEnd;
  const span = Math.max(0.1, speechEnd - speechStart);
  const accents: Accent[] = [];
  const accentCount = 1 + rng.int(Math.max(1, Math.round(span / 0.5)));
  for (let i = 0; i < accentCount; i++) {
    accents.push({ time: speechStart + rng.uniform() * span, heightSt: rng.between(1, 4), widthSeconds: rng.between(0.08, 0.2) });
  }
  const wander: Wander[] = [0, 1].map(() => ({ hz: rng.between(0.7, 2.5), phase: rng.between(0, 2 * Math.PI), amplitudeSt: rng.between(0.3, 0.8) }));
  return {
    durationSeconds: timing.durationSeconds,
    speechStart,
    speechEnd,
    segments,
    declinationSt: rng.between(-4, -1),
    finalFallSt: rng.between(-3, 0),
    accents,
    wander,
  };
}
