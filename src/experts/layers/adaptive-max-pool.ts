import * as tf from '@tensorflow/tfjs';
import { type Kwargs, type LayerArgs, singleShape, singleTensor } from '../../nn/layer-args.js';

export interface AdaptiveMaxPoolArgs extends LayerArgs {
  /** Output [height, width], as PyTorch's AdaptiveMaxPool2d(output_size). */
  outputSize: [number, number];
}

/**
 * PyTorch's AdaptiveMaxPool2d for NHWC tensors: output cell i along an axis of length n
 * takes the max over [floor(i*n/m), ceil((i+1)*n/m)). The LCNN ends with it (to 16x8
 * whatever the input length). Hand-written: tfjs has no adaptive pooling. Exactly
 * divisible axes use one maxPool; others one slice + max per output cell (windows may
 * overlap, or repeat rows when the output is larger than the input, as in PyTorch).
 */
export class AdaptiveMaxPool2D extends tf.layers.Layer {
  static readonly className = 'AdaptiveMaxPool2D';
  readonly outputSize: [number, number];

  constructor(args: AdaptiveMaxPoolArgs) {
    super(args);
    this.outputSize = args.outputSize;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = singleShape(inputShape);
    return [shape[0] ?? null, this.outputSize[0], this.outputSize[1], shape[3] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = singleTensor(inputs) as tf.Tensor4D;
      return poolAxis(poolAxis(x, 1, this.outputSize[0]), 2, this.outputSize[1]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), outputSize: this.outputSize };
  }
}

function poolAxis(x: tf.Tensor4D, axis: 1 | 2, outputLength: number): tf.Tensor4D {
  const inputLength = x.shape[axis];
  if (inputLength === outputLength) return x;
  if (inputLength % outputLength === 0) {
    const window = inputLength / outputLength;
    const size: [number, number] = axis === 1 ? [window, 1] : [1, window];
    return tf.maxPool(x, size, size, 'valid');
  }
  const cells: tf.Tensor4D[] = [];
  for (let i = 0; i < outputLength; i++) {
    const start = Math.floor((i * inputLength) / outputLength);
    const end = Math.ceil(((i + 1) * inputLength) / outputLength);
    const begin = [0, 0, 0, 0];
    const size = [-1, -1, -1, -1];
    begin[axis] = start;
    size[axis] = end - start;
    const window = tf.slice(x, begin, size);
    cells.push(end - start === 1 ? window : tf.max(window, axis, true));
  }
  return tf.concat(cells, axis);
}

tf.serialization.registerClass(AdaptiveMaxPool2D);
