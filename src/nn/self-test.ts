import * as tf from '@tensorflow/tfjs';

/**
 * A one-step check that the active backend computes a forward and backward pass right:
 * two convolutions (stride 1 'same', stride 2 'valid') and a dense layer whose gradients
 * go through Conv2DBackpropFilter, Conv2DBackpropInput and transposed matrix products,
 * the kernels ablate replaces on wasm. The loss is linear in each parameter, so a direct
 * plain-JS evaluation of the same sums is an exact reference.
 */

interface ConvCase {
  kernel: number;
  stride: number;
  pad: 'same' | 'valid';
}

const BATCH = 2;
const HEIGHT = 7;
const WIDTH = 6;
const IN_CHANNELS = 2;
const OUT_CHANNELS = 3;
const CASES: ConvCase[] = [
  { kernel: 3, stride: 1, pad: 'same' },
  { kernel: 3, stride: 2, pad: 'valid' },
];

/** Deterministic, irregular values (no RNG: the test must not depend on one). */
function pattern(length: number, phase: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin(1.7 * i + phase) * 0.5 + Math.cos(0.3 * i * phase) * 0.25);
}

function outputGeometry(size: number, { kernel, stride, pad }: ConvCase): { out: number; before: number } {
  if (pad === 'valid') return { out: Math.floor((size - kernel) / stride) + 1, before: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return { out, before: Math.floor(total / 2) };
}

/** Gradients of L = sum(conv(x, w) * r) by direct summation. */
function referenceConvGradients(x: Float32Array, w: Float32Array, r: Float32Array, c: ConvCase): { dx: Float64Array; dw: Float64Array; loss: number } {
  const rows = outputGeometry(HEIGHT, c);
  const cols = outputGeometry(WIDTH, c);
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  let loss = 0;
  for (let b = 0; b < BATCH; b++)
    for (let oh = 0; oh < rows.out; oh++)
      for (let ow = 0; ow < cols.out; ow++)
        for (let co = 0; co < OUT_CHANNELS; co++) {
          const weight = r[((b * rows.out + oh) * cols.out + ow) * OUT_CHANNELS + co] ?? 0;
          for (let kh = 0; kh < c.kernel; kh++)
            for (let kw = 0; kw < c.kernel; kw++) {
              const h = oh * c.stride + kh - rows.before;
              const v = ow * c.stride + kw - cols.before;
              if (h < 0 || h >= HEIGHT || v < 0 || v >= WIDTH) continue;
              for (let ci = 0; ci < IN_CHANNELS; ci++) {
                const xi = ((b * HEIGHT + h) * WIDTH + v) * IN_CHANNELS + ci;
                const wi = ((kh * c.kernel + kw) * IN_CHANNELS + ci) * OUT_CHANNELS + co;
                loss += (x[xi] ?? 0) * (w[wi] ?? 0) * weight;
                dx[xi] = (dx[xi] ?? 0) + (w[wi] ?? 0) * weight;
                dw[wi] = (dw[wi] ?? 0) + (x[xi] ?? 0) * weight;
              }
            }
        }
  return { dx, dw, loss };
}

function assertClose(name: string, actual: Float32Array | Float64Array | number[], expected: Float64Array | number[]): void {
  let scale = 1e-6;
  for (const value of expected) scale = Math.max(scale, Math.abs(value));
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs((actual[i] ?? Number.NaN) - (expected[i] ?? 0));
    if (!(error <= 1e-4 * scale)) {
      throw new Error(`${name}[${i}] = ${actual[i]} but the reference gives ${expected[i]} (backend ${tf.getBackend()})`);
    }
  }
}

export function runBackendSelfTest(): void {
  for (const [index, c] of CASES.entries()) {
    const xValues = pattern(BATCH * HEIGHT * WIDTH * IN_CHANNELS, 1 + index);
    const wValues = pattern(c.kernel * c.kernel * IN_CHANNELS * OUT_CHANNELS, 2.5 + index);
    const rows = outputGeometry(HEIGHT, c).out;
    const cols = outputGeometry(WIDTH, c).out;
    const rValues = pattern(BATCH * rows * cols * OUT_CHANNELS, 4 + index);
    const expected = referenceConvGradients(xValues, wValues, rValues, c);
    const [loss, dx, dw] = tf.tidy(() => {
      const x = tf.tensor4d(xValues, [BATCH, HEIGHT, WIDTH, IN_CHANNELS]);
      const w = tf.tensor4d(wValues, [c.kernel, c.kernel, IN_CHANNELS, OUT_CHANNELS]);
      const r = tf.tensor4d(rValues, [BATCH, rows, cols, OUT_CHANNELS]);
      const f = (xs: tf.Tensor, ws: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.conv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, c.stride, c.pad), r));
      const { value, grads } = tf.valueAndGrads(f)([x, w]);
      return [value, grads[0], grads[1]] as tf.Tensor[];
    });
    try {
      assertClose(`conv ${c.kernel}x${c.kernel}/${c.stride} ${c.pad} loss`, [(loss as tf.Tensor).dataSync()[0] ?? Number.NaN], [expected.loss]);
      assertClose(`conv ${c.kernel}x${c.kernel}/${c.stride} ${c.pad} dx`, (dx as tf.Tensor).dataSync() as Float32Array, expected.dx);
      assertClose(`conv ${c.kernel}x${c.kernel}/${c.stride} ${c.pad} dW`, (dw as tf.Tensor).dataSync() as Float32Array, expected.dw);
    } finally {
      tf.dispose([loss as tf.Tensor, dx as tf.Tensor, dw as tf.Tensor]);
    }
  }
  denseSelfTest();
}

/** L = sum((a @ b) * r): dA = r b^T, dB = a^T r, the transposed products of every dense layer. */
function denseSelfTest(): void {
  const [m, k, n] = [3, 4, 5];
  const a = pattern(m * k, 7);
  const b = pattern(k * n, 8);
  const r = pattern(m * n, 9);
  const da = new Float64Array(m * k);
  const db = new Float64Array(k * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++)
      for (let p = 0; p < k; p++) {
        da[i * k + p] = (da[i * k + p] ?? 0) + (r[i * n + j] ?? 0) * (b[p * n + j] ?? 0);
        db[p * n + j] = (db[p * n + j] ?? 0) + (a[i * k + p] ?? 0) * (r[i * n + j] ?? 0);
      }
  const [ga, gb] = tf.tidy(() => {
    const rt = tf.tensor2d(r, [m, n]);
    const f = (x: tf.Tensor, y: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D), rt));
    return tf.grads(f)([tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])]);
  });
  try {
    assertClose('dense dA', (ga as tf.Tensor).dataSync() as Float32Array, da);
    assertClose('dense dB', (gb as tf.Tensor).dataSync() as Float32Array, db);
  } finally {
    tf.dispose([ga as tf.Tensor, gb as tf.Tensor]);
  }
}
