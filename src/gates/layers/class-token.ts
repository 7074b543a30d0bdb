import * as tf from '@tensorflow/tfjs';
import { type Kwargs, type LayerArgs, singleShape, singleTensor } from '../../nn/layer-args.js';

export interface ClassTokenArgs extends LayerArgs {
  seed: number;
}

/**
 * Prepends a learned class token to a token sequence [batch, tokens, dim] and adds a
 * learned position embedding to every position (class token included): the encoder's
 * output at position 0 is the pooled summary the gate's logits are read from. Both start
 * from N(0, 0.02) truncated (BERT/ViT), seeded.
 */
export class ClassToken extends tf.layers.Layer {
  static readonly className = 'ClassToken';
  readonly seed: number;
  private token: tf.LayerVariable | null = null;
  private positions: tf.LayerVariable | null = null;

  constructor(args: ClassTokenArgs) {
    super(args);
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const [, tokens, dim] = singleShape(inputShape);
    if (typeof tokens !== 'number' || typeof dim !== 'number') throw new Error('ClassToken needs a known number of tokens and width');
    this.token = this.addWeight('token', [1, 1, dim], 'float32', tf.initializers.truncatedNormal({ stddev: 0.02, seed: this.seed }));
    this.positions = this.addWeight('positions', [1, tokens + 1, dim], 'float32', tf.initializers.truncatedNormal({ stddev: 0.02, seed: this.seed + 1 }));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, tokens, dim] = singleShape(inputShape);
    return [batch ?? null, (tokens as number) + 1, dim ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const x = singleTensor(inputs);
    return tf.tidy(() => {
      const [batch, , dim] = x.shape as [number, number, number];
      // Broadcasting add instead of tile: its gradient is a plain sum over the batch.
      const token = tf.add(tf.zeros([batch, 1, dim]), (this.token as tf.LayerVariable).read());
      return tf.add(tf.concat([token, x], 1), (this.positions as tf.LayerVariable).read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}

tf.serialization.registerClass(ClassToken);

/** The first token of a sequence [batch, tokens, dim] -> [batch, dim]. */
export class FirstToken extends tf.layers.Layer {
  static readonly className = 'FirstToken';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, , dim] = singleShape(inputShape);
    return [batch ?? null, dim ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const x = singleTensor(inputs);
    return tf.tidy(() => {
      const [batch, , dim] = x.shape as [number, number, number];
      return tf.reshape(tf.slice(x, [0, 0, 0], [batch, 1, dim]), [batch, dim]);
    });
  }
}

tf.serialization.registerClass(FirstToken);
