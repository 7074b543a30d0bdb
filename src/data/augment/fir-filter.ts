import FFT from 'fft.js';

/**
 * RawBoost's filterFIR: scipy lfilter(b, 1, x padded with len(b)+1 zeros), then the
 * middle len(x) samples (a delay compensation of floor((len(b)+1)/2)). Long filters go
 * through an FFT convolution (fft.js), short ones are summed directly.
 */
export function filterFir(x: Float64Array, b: Float64Array): Float64Array {
  const offset = Math.floor((b.length + 1) / 2);
  const full = b.length <= 32 ? directConvolution(x, b) : fftConvolution(x, b);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = full[i + offset] ?? 0;
  return out;
}

/** Full linear convolution, summed directly (fast for short filters). */
function directConvolution(x: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(x.length + b.length - 1);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    if (xi === 0) continue;
    for (let k = 0; k < b.length; k++) out[i + k] = (out[i + k] as number) + xi * (b[k] as number);
  }
  return out;
}

/** Full linear convolution (length x + b - 1) through one FFT product. */
export function fftConvolution(x: Float64Array, b: Float64Array): Float64Array {
  const length = x.length + b.length - 1;
  let size = 2;
  while (size < length) size *= 2;
  const fft = new FFT(size);
  // Plain arrays: fft.js runs measurably faster on them than on typed arrays.
  const padded = (source: Float64Array): number[] => {
    const array = new Array<number>(size).fill(0);
    for (let i = 0; i < source.length; i++) array[i] = source[i] as number;
    return array;
  };
  const fx = fft.createComplexArray() as number[];
  const fb = fft.createComplexArray() as number[];
  fft.realTransform(fx, padded(x));
  fft.completeSpectrum(fx);
  fft.realTransform(fb, padded(b));
  fft.completeSpectrum(fb);
  const product = fft.createComplexArray() as number[];
  for (let k = 0; k < size; k++) {
    const ar = fx[2 * k] as number;
    const ai = fx[2 * k + 1] as number;
    const br = fb[2 * k] as number;
    const bi = fb[2 * k + 1] as number;
    product[2 * k] = ar * br - ai * bi;
    product[2 * k + 1] = ar * bi + ai * br;
  }
  const time = fft.createComplexArray() as number[];
  fft.inverseTransform(time, product);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = time[2 * i] as number;
  return out;
}
