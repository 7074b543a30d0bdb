import FFT from 'fft.js';
import { PffftRealPlan } from './pffft.js';

/**
 * |DFT(frame)|^2 for bins 0..nFft/2 of a real frame.
 *
 * Sizes PFFFT can do (multiples of 32 whose other factors are 2, 3, 5: 512, 1024, 640...)
 * run on its wasm SIMD build, in single precision as torchaudio does. The rest run on
 * fft.js in double precision. fft.js only does power-of-two sizes, and its realTransform is barely faster than a
 * full complex transform, so the two cases are handled here:
 * - power of two: the classic "real FFT of N points as a complex FFT of N/2 points"
 *   (the frame's interleaved even/odd samples already form fft.js's complex layout,
 *   then one butterfly pass splits the two half spectra): about twice as fast;
 * - any other size (torchaudio's default nFft is 400): Bluestein's chirp-z transform,
 *   a convolution done with power-of-two fft.js transforms; exact, a few times slower.
 *
 * Every buffer handed to fft.js is a plain Array of doubles: fft.js runs about twice as
 * fast on those as on typed arrays (measured here), and mixing the two makes its code
 * polymorphic and slower still, so frames come from `createFrame`. The arrays are built
 * "packed" (no holes), which V8 stores and indexes faster than createComplexArray's
 * holey ones.
 */
export interface PowerSpectrum {
  readonly nFft: number;
  readonly bins: number;
  /** A zeroed frame buffer of nFft samples in the layout `compute` wants. */
  createFrame(): Frame;
  /** Writes `bins` powers of `frame` (from createFrame, nFft samples; left unchanged) into `out`. */
  compute(frame: Frame, out: Float64Array): void;
}

/** A frame buffer: a packed Array of doubles for fft.js, a Float32Array for PFFFT. */
export type Frame = number[] | Float32Array;

/** A zeroed packed-double Array of fft.js's complex layout (2 numbers per point). */
function complexArray(fft: FFT): number[] {
  return packedZeros(2 * fft.size);
}

function packedZeros(length: number): number[] {
  const array: number[] = [];
  // Pushing a non-integer first makes V8 choose its unboxed double representation.
  for (let i = 0; i < length; i++) array.push(0.5);
  return array.fill(0);
}

/**
 * Which code computes spectra of size `nFft` here: the two differ in their last bits
 * (single vs double precision), so cached features are keyed by it.
 */
export function spectrumImplementation(nFft: number): 'pffft' | 'fft.js' {
  return PffftRealPlan.supports(nFft) ? 'pffft' : 'fft.js';
}

export function createPowerSpectrum(nFft: number): PowerSpectrum {
  const plan = PffftRealPlan.create(nFft);
  if (plan !== null) return new PffftPowerSpectrum(plan);
  const isPowerOfTwo = nFft >= 4 && (nFft & (nFft - 1)) === 0;
  return isPowerOfTwo ? new HalfSizePowerSpectrum(nFft) : new BluesteinPowerSpectrum(nFft);
}

class PffftPowerSpectrum implements PowerSpectrum {
  readonly nFft: number;
  readonly bins: number;

  constructor(private readonly plan: PffftRealPlan) {
    this.nFft = plan.n;
    this.bins = plan.n / 2 + 1;
  }

  createFrame(): Float32Array {
    return new Float32Array(this.nFft);
  }

  compute(frame: Frame, out: Float64Array): void {
    const { plan } = this;
    const heap = plan.heap();
    const { input, output } = plan;
    if (frame instanceof Float32Array) heap.set(frame, input);
    else for (let n = 0; n < this.nFft; n++) heap[input + n] = frame[n]!;
    plan.transform();
    const half = this.nFft / 2;
    const dc = heap[output]!;
    const nyquist = heap[output + 1]!;
    out[0] = dc * dc;
    out[half] = nyquist * nyquist;
    for (let k = 1, i = output + 2; k < half; k++, i += 2) {
      const re = heap[i]!;
      const im = heap[i + 1]!;
      out[k] = re * re + im * im;
    }
  }
}

class HalfSizePowerSpectrum implements PowerSpectrum {
  readonly bins: number;
  private readonly half: number;
  private readonly fft: FFT;
  private readonly spectrum: number[];
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  constructor(readonly nFft: number) {
    this.half = nFft / 2;
    this.bins = this.half + 1;
    this.fft = new FFT(this.half);
    this.spectrum = complexArray(this.fft);
    this.cos = new Float64Array(this.bins);
    this.sin = new Float64Array(this.bins);
    for (let k = 0; k < this.bins; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / nFft);
      this.sin[k] = Math.sin((2 * Math.PI * k) / nFft);
    }
  }

  createFrame(): number[] {
    // N real samples are N/2 interleaved complex ones: exactly fft.js's input layout.
    return complexArray(this.fft);
  }

  compute(frame: Frame, out: Float64Array): void {
    const z = this.spectrum;
    this.fft.transform(z, frame as number[]);
    const half = this.half;
    const { cos, sin } = this;
    // Z = FFT(even + i*odd); E[k] = (Z[k] + conj Z[M-k]) / 2, O[k] = (Z[k] - conj Z[M-k]) / 2i,
    // X[k] = E[k] + exp(-2 pi i k / N) O[k]. Bins k and M-k share Z[k] and Z[M-k] (their
    // twiddles differ only in the cosine's sign), so each pass yields both. The factor
    // 1/2 in E and O is applied once to the power.
    const z0r = z[0]!;
    const z0i = z[1]!;
    out[0] = (z0r + z0i) * (z0r + z0i);
    out[half] = (z0r - z0i) * (z0r - z0i);
    for (let k = 1, a = 2, b = 2 * half - 2; k <= half >> 1; k++, a += 2, b -= 2) {
      const ar = z[a]!;
      const ai = z[a + 1]!;
      const br = z[b]!;
      const bi = z[b + 1]!;
      const er = ar + br;
      const ei = ai - bi;
      const or = ai + bi;
      const oi = br - ar;
      const c = cos[k]!;
      const s = sin[k]!;
      const real = c * or + s * oi;
      const imag = c * oi - s * or;
      const xr = er + real;
      const xi = ei + imag;
      const yr = er - real;
      const yi = imag - ei;
      out[k] = 0.25 * (xr * xr + xi * xi);
      out[half - k] = 0.25 * (yr * yr + yi * yi);
    }
  }
}

class BluesteinPowerSpectrum implements PowerSpectrum {
  readonly bins: number;
  private readonly size: number;
  private readonly fft: FFT;
  /** exp(-i pi n^2 / N), interleaved. */
  private readonly chirp: Float64Array;
  /** FFT of the conjugate chirp laid out circularly (the convolution kernel). */
  private readonly kernelSpectrum: number[];
  private readonly a: number[];
  private readonly aSpectrum: number[];
  private readonly conv: number[];

  constructor(readonly nFft: number) {
    this.bins = Math.floor(nFft / 2) + 1;
    let size = 2;
    while (size < 2 * nFft - 1) size <<= 1;
    this.size = size;
    this.fft = new FFT(size);
    this.chirp = new Float64Array(2 * nFft);
    for (let n = 0; n < nFft; n++) {
      // n^2 mod 2N keeps the angle small, so it stays accurate for large n.
      const angle = (Math.PI * ((n * n) % (2 * nFft))) / nFft;
      this.chirp[2 * n] = Math.cos(angle);
      this.chirp[2 * n + 1] = -Math.sin(angle);
    }
    const kernel = complexArray(this.fft);
    for (let n = 0; n < nFft; n++) {
      const re = this.chirp[2 * n]!;
      const im = -this.chirp[2 * n + 1]!;
      kernel[2 * n] = re;
      kernel[2 * n + 1] = im;
      if (n > 0) {
        kernel[2 * (size - n)] = re;
        kernel[2 * (size - n) + 1] = im;
      }
    }
    this.kernelSpectrum = complexArray(this.fft);
    this.fft.transform(this.kernelSpectrum, kernel);
    this.a = complexArray(this.fft);
    this.aSpectrum = complexArray(this.fft);
    this.conv = complexArray(this.fft);
  }

  createFrame(): number[] {
    return packedZeros(this.nFft);
  }

  compute(frame: Frame, out: Float64Array): void {
    const { a, chirp, aSpectrum, kernelSpectrum, conv, nFft, size } = this;
    for (let n = 0; n < nFft; n++) {
      a[2 * n] = frame[n]! * chirp[2 * n]!;
      a[2 * n + 1] = frame[n]! * chirp[2 * n + 1]!;
    }
    this.fft.transform(aSpectrum, a);
    for (let i = 0; i < 2 * size; i += 2) {
      const xr = aSpectrum[i]!;
      const xi = aSpectrum[i + 1]!;
      const yr = kernelSpectrum[i]!;
      const yi = kernelSpectrum[i + 1]!;
      aSpectrum[i] = xr * yr - xi * yi;
      aSpectrum[i + 1] = xr * yi + xi * yr;
    }
    this.fft.inverseTransform(conv, aSpectrum);
    // X[k] = chirp[k] * conv[k]; |chirp| = 1, so the power is |conv[k]|^2.
    for (let k = 0; k < this.bins; k++) out[k] = conv[2 * k]! ** 2 + conv[2 * k + 1]! ** 2;
  }
}
