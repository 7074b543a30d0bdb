import type { Rng } from '../../util/rng.js';

/** A synthetic speaker: the source-filter parameters that make voices differ. */
export interface Voice {
  id: string;
  sex: 'female' | 'male';
  /** Mean fundamental frequency. */
  f0Hz: number;
  /** Intonation excursion in semitones. */
  f0RangeSt: number;
  /** Relative standard deviation of successive glottal periods (natural: about 0.5-2 %). */
  jitter: number;
  /** Relative standard deviation of successive pulse amplitudes (natural: about 2-7 %). */
  shimmer: number;
  /** Formant frequency factor (shorter vocal tract: higher formants). */
  formantScale: number;
  bandwidthScale: number;
  /** Open phase as a fraction of the period, and opening/closing time ratio of the pulse. */
  openQuotient: number;
  skew: number;
  /** Aspiration noise mixed into the glottal source. */
  breathiness: number;
  /** One-pole low-pass coefficient on the source: a steeper spectral tilt. */
  tilt: number;
  /** Speaking-rate factor (segment durations are divided by it). */
  rate: number;
}

export function drawVoice(rng: Rng, id: string): Voice {
  const sex = rng.uniform() < 0.5 ? 'female' : 'male';
  const female = sex === 'female';
  return {
    id,
    sex,
    f0Hz: female ? rng.between(165, 245) : rng.between(85, 140),
    f0RangeSt: rng.between(2, 5),
    jitter: rng.between(0.005, 0.015),
    shimmer: rng.between(0.025, 0.07),
    formantScale: female ? rng.between(1.06, 1.18) : rng.between(0.9, 1.02),
    bandwidthScale: rng.between(0.85, 1.25),
    openQuotient: rng.between(0.45, 0.7),
    skew: rng.between(1.8, 3.2),
    breathiness: rng.between(0.01, 0.06),
    tilt: rng.between(0, 0.3),
    rate: rng.between(0.85, 1.2),
  };
}
