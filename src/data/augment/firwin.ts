import FFT from 'fft.js';

/**
 * FIR design by the window method, following scipy.signal.firwin (window 'hamming',
 * scale=True) and freqz, because RawBoost's filters are defined through them. No package
 * in this project's dependencies designs FIR filters (fft.js only transforms), and the
 * method is a few lines of closed-form sums; tests compare against scipy's coefficients.
 */
export function firwin(numtaps: number, cutoffHz: readonly number[], sampleRate: number, passZero = true): Float64Array {
  const nyquist = sampleRate / 2;
  const cutoff = cutoffHz.map((f) => f / nyquist);
  if (cutoff.some((c) => c <= 0 || c >= 1)) throw new RangeError(`firwin: cutoffs must lie strictly between 0 and ${nyquist} Hz (got ${cutoffHz.join(', ')})`);
  const passNyquist = (cutoff.length % 2 === 1) !== passZero;
  if (passNyquist && numtaps % 2 === 0) throw new RangeError('firwin: a filter that passes the Nyquist frequency needs an odd number of taps');
  const edges = [...(passZero ? [0] : []), ...cutoff, ...(passNyquist ? [1] : [])];
  const alpha = 0.5 * (numtaps - 1);
  const h = new Float64Array(numtaps);
  for (let i = 0; i < numtaps; i++) {
    const m = i - alpha;
    let value = 0;
    for (let b = 0; b + 1 < edges.length; b += 2) {
      const left = edges[b] as number;
      const right = edges[b + 1] as number;
      value += right * sinc(right * m) - left * sinc(left * m);
    }
    // Symmetric Hamming window (scipy's get_window(..., fftbins=False)).
    const window = numtaps === 1 ? 1 : 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (numtaps - 1));
    h[i] = value * window;
  }
  // Unit gain at the centre of the first pass band (DC, Nyquist or the band's middle).
  const left = edges[0] as number;
  const right = edges[1] as number;
  const scaleFrequency = left === 0 ? 0 : right === 1 ? 1 : 0.5 * (left + right);
  let sum = 0;
  for (let i = 0; i < numtaps; i++) sum += (h[i] as number) * Math.cos(Math.PI * (i - alpha) * scaleFrequency);
  for (let i = 0; i < numtaps; i++) h[i] = (h[i] as number) / sum;
  return h;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const y = Math.PI * x;
  return Math.sin(y) / y;
}

/** Full linear convolution of two coefficient sets (cascading filters). */
export function convolve(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i] as number;
    for (let j = 0; j < b.length; j++) out[i + j] = (out[i + j] as number) + ai * (b[j] as number);
  }
  return out;
}

/**
 * max |H(e^jw)| over scipy.signal.freqz's default grid (512 points on [0, pi)). The
 * coefficients are folded modulo 1024 first, which samples the same frequencies exactly.
 */
export function peakMagnitude(b: Float64Array): number {
  const size = 1024;
  const folded = new Array<number>(size).fill(0);
  for (let i = 0; i < b.length; i++) folded[i % size] = (folded[i % size] as number) + (b[i] as number);
  const fft = new FFT(size);
  const spectrum = fft.createComplexArray() as number[];
  fft.realTransform(spectrum, folded);
  let peak = 0;
  for (let k = 0; k < size / 2; k++) {
    const re = spectrum[2 * k] as number;
    const im = spectrum[2 * k + 1] as number;
    peak = Math.max(peak, Math.hypot(re, im));
  }
  return peak;
}
