/** Test helpers: measure a tone in a signal. */

/** Amplitude and phase of the `hz` component of `x` over [from, to) (a single-bin DFT). */
export function tone(x: Float32Array, hz: number, sampleRate: number, from = 0, to = x.length): { amplitude: number; phase: number } {
  let s = 0;
  let c = 0;
  for (let i = from; i < to; i++) {
    const angle = (2 * Math.PI * hz * i) / sampleRate;
    s += x[i]! * Math.sin(angle);
    c += x[i]! * Math.cos(angle);
  }
  const n = to - from;
  return { amplitude: (2 * Math.hypot(s, c)) / n, phase: Math.atan2(c, s) };
}

export function peak(x: Float32Array): number {
  let p = 0;
  for (const v of x) p = Math.max(p, Math.abs(v));
  return p;
}

export function sine(hz: number, sampleRate: number, seconds: number, amplitude = 0.5): Float32Array {
  const n = Math.round(sampleRate * seconds);
  return Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate));
}
