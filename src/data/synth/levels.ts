import { dbToGain, peak, rms, scaleInPlace } from './dsp.js';

/**
 * Silence before `speechStart` and after `speechEnd` (plus a short release), with 2 ms
 * fades. Applied to every rendering, bona fide or spoofed, before the channel: spectral
 * processing smears energy into the silences, and a class-dependent onset would be a
 * shortcut a detector could learn instead of the artefact.
 */
export function gateSilences(x: Float64Array, sampleRate: number, speechStart: number, speechEnd: number): Float64Array {
  const fade = Math.max(1, Math.round(0.002 * sampleRate));
  const start = Math.round(speechStart * sampleRate);
  const end = Math.min(x.length, Math.round((speechEnd + 0.02) * sampleRate));
  for (let n = 0; n < x.length; n++) {
    let gain = 1;
    if (n < start - fade) gain = 0;
    else if (n < start) gain = 0.5 - 0.5 * Math.cos((Math.PI * (n - (start - fade))) / fade);
    else if (n >= end + fade) gain = 0;
    else if (n >= end) gain = 0.5 + 0.5 * Math.cos((Math.PI * (n - end)) / fade);
    if (gain !== 1) x[n] = (x[n] as number) * gain;
  }
  return x;
}

/**
 * Scale the finished clip to an RMS of `targetDb` dBFS, drawn per item from the domain's
 * range for both classes alike; if that would clip, scale down to a 0.98 peak instead
 * (reported, because it moves loudness).
 */
export function normaliseLoudness(x: Float64Array, targetDb: number): { samples: Float64Array; limited: boolean } {
  const level = rms(x);
  if (level === 0) return { samples: x, limited: false };
  scaleInPlace(x, dbToGain(targetDb) / level);
  const top = peak(x);
  if (top <= 0.98) return { samples: x, limited: false };
  scaleInPlace(x, 0.98 / top);
  return { samples: x, limited: true };
}
