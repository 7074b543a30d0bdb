import * as tf from '@tensorflow/tfjs';
import { type Kwargs, type LayerArgs, singleShape, singleTensor } from '../../nn/layer-args.js';

type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

export interface Conv2DArgs extends LayerArgs {
  filters: number;
  kernelSize: number;
  strides?: number;
  padding?: 'same' | 'valid';
  useBias?: boolean;
  kernelInitializer: Initializer;
}

/**
 * A 2-D convolution (NHWC) computed as tf.conv2d plus a bias add, instead of tfjs-layers'
 * Conv2D, whose fused op computes every gradient eagerly: the input gradient of the first
 * layer, which nothing needs, cost 680 ms per LCNN step (batch 32, 64x128) on wasm.
 * With plain ops tfjs computes only the gradients on a path to a variable.
 */
export class PlainConv2D extends tf.layers.Layer {
  static readonly className = 'PlainConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: 'same' | 'valid';
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: Conv2DArgs) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides ?? 1;
    this.padding = args.padding ?? 'same';
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = args.kernelInitializer;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const channels = singleShape(inputShape)[3];
    if (typeof channels !== 'number') throw new Error(`${this.name}: the input needs a known channel count`);
    this.kernel = this.addWeight('kernel', [this.kernelSize, this.kernelSize, channels, this.filters], 'float32', this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, height, width] = singleShape(inputShape);
    const size = (length: number | null | undefined): number | null => {
      if (typeof length !== 'number') return null;
      return this.padding === 'same' ? Math.ceil(length / this.strides) : Math.floor((length - this.kernelSize) / this.strides) + 1;
    };
    return [batch ?? null, size(height), size(width), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    if (this.kernel === null) throw new Error(`${this.name} used before build`);
    const kernel = this.kernel.read() as tf.Tensor4D;
    const bias = this.bias;
    return tf.tidy(() => {
      const y = tf.conv2d(singleTensor(inputs) as tf.Tensor4D, kernel, this.strides, this.padding);
      return bias === null ? y : tf.add(y, bias.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, useBias: this.useBias };
  }
}

tf.serialization.registerClass(PlainConv2D);
