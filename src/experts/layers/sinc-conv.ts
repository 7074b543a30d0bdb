import * as tf from '@tensorflow/tfjs';
import { type Kwargs, type LayerArgs, singleShape, singleTensor } from '../../nn/layer-args.js';

export interface SincConvArgs extends LayerArgs {
  filters: number;
  /** Odd number of taps. */
  kernelSize: number;
  sampleRate: number;
  stride?: number;
  minLowHz?: number;
  minBandHz?: number;
}

const toMel = (hz: number): number => 2595 * Math.log10(1 + hz / 700);
const fromMel = (mel: number): number => 700 * (10 ** (mel / 2595) - 1);

/**
 * SincNet's learnable band-pass front end (Ravanelli & Bengio 2018, as in RawNet2 and
 * AASIST): each filter is a windowed difference of two sinc low-pass filters whose cut-off
 * frequencies are the only trainable parameters (2 per filter), initialised on the mel
 * scale. Input [batch, samples, 1], output [batch, frames, filters]. Hand-written: no
 * TensorFlow.js library ships it. The filter bank is rebuilt from the cut-offs at every
 * call so gradients reach them; it avoids ops the wasm backend lacks (no gather, no FFT).
 */
export class SincConv1D extends tf.layers.Layer {
  static readonly className = 'SincConv1D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly sampleRate: number;
  readonly stride: number;
  readonly minLowHz: number;
  readonly minBandHz: number;
  private lowHz: tf.LayerVariable | null = null;
  private bandHz: tf.LayerVariable | null = null;

  constructor(args: SincConvArgs) {
    super(args);
    if (!(args.kernelSize % 2 === 1 && args.kernelSize >= 3)) throw new Error(`sinc kernel size must be odd and >= 3, got ${args.kernelSize}`);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.sampleRate = args.sampleRate;
    this.stride = args.stride ?? 1;
    this.minLowHz = args.minLowHz ?? 50;
    this.minBandHz = args.minBandHz ?? 50;
  }

  override build(_inputShape: tf.Shape | tf.Shape[]): void {
    // Mel-spaced band edges between 30 Hz and Nyquist (SincNet's initialisation; no randomness).
    const high = this.sampleRate / 2 - (this.minLowHz + this.minBandHz);
    const edges = Array.from({ length: this.filters + 1 }, (_, i) => fromMel(toMel(30) + ((toMel(high) - toMel(30)) * i) / this.filters));
    const lows = edges.slice(0, -1);
    const bands = edges.slice(1).map((edge, i) => edge - (edges[i] ?? 0));
    this.lowHz = this.addWeight('low_hz', [this.filters], 'float32', tf.initializers.zeros());
    this.bandHz = this.addWeight('band_hz', [this.filters], 'float32', tf.initializers.zeros());
    const lowHz = this.lowHz;
    const bandHz = this.bandHz;
    tf.tidy(() => {
      lowHz.write(tf.tensor1d(lows));
      bandHz.write(tf.tensor1d(bands));
    });
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = singleShape(inputShape);
    const length = shape[1];
    const frames = typeof length === 'number' ? Math.floor((length - this.kernelSize) / this.stride) + 1 : null;
    return [shape[0] ?? null, frames, this.filters];
  }

  /** The current filter bank, [kernelSize, 1, filters]. */
  filterBank(): tf.Tensor3D {
    if (this.lowHz === null || this.bandHz === null) throw new Error('SincConv1D used before build');
    const lowVar = this.lowHz.read();
    const bandVar = this.bandHz.read();
    return tf.tidy(() => {
      const half = (this.kernelSize - 1) / 2;
      // Left half of the symmetric filter: n = -half .. -1 (in samples), Hamming-windowed.
      const n = Float32Array.from({ length: half }, (_, i) => (2 * Math.PI * (i - half)) / this.sampleRate);
      const window = Float32Array.from({ length: half }, (_, i) => 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / this.kernelSize));
      const low = tf.add(this.minLowHz, tf.abs(lowVar));
      const high = tf.clipByValue(tf.add(tf.add(low, this.minBandHz), tf.abs(bandVar)), this.minLowHz, this.sampleRate / 2);
      const band = tf.sub(high, low);
      const nRow = tf.tensor2d(n, [1, half]);
      const lowTimes = tf.matMul(tf.reshape(low, [this.filters, 1]), nRow);
      const highTimes = tf.matMul(tf.reshape(high, [this.filters, 1]), nRow);
      const left = tf.mul(tf.div(tf.sub(tf.sin(highTimes), tf.sin(lowTimes)), tf.div(nRow, 2)), tf.tensor2d(window, [1, half]));
      const centre = tf.reshape(tf.mul(band, 2), [this.filters, 1]);
      const right = tf.reverse(left, 1);
      const bank = tf.div(tf.concat([left, centre, right], 1), tf.mul(tf.reshape(band, [this.filters, 1]), 2));
      return tf.reshape(tf.transpose(bank), [this.kernelSize, 1, this.filters]);
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => tf.conv1d(singleTensor(inputs) as tf.Tensor3D, this.filterBank(), this.stride, 'valid'));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      sampleRate: this.sampleRate,
      stride: this.stride,
      minLowHz: this.minLowHz,
      minBandHz: this.minBandHz,
    };
  }
}

tf.serialization.registerClass(SincConv1D);
