import * as tf from '@tensorflow/tfjs';
import { type Kwargs, type LayerArgs, singleShape, singleTensor } from '../../nn/layer-args.js';
import { deriveSeed } from '../../util/rng.js';

export interface SelfAttentionArgs extends LayerArgs {
  heads: number;
  seed: number;
}

type Projection = { kernel: tf.LayerVariable; bias: tf.LayerVariable };

/**
 * Multi-head self-attention over a token sequence [batch, tokens, dim], as PyTorch's
 * nn.MultiheadAttention (Q, K, V and output projections with biases, scaled dot-product
 * attention per head, no attention dropout). Written from reshape, transpose and batched
 * matMul because tfjs-layers has no public attention layer and its internal one is built
 * on einsum, which the wasm backend lacks.
 */
export class SelfAttention extends tf.layers.Layer {
  static readonly className = 'SelfAttention';
  readonly heads: number;
  readonly seed: number;
  private projections: Record<'query' | 'key' | 'value' | 'output', Projection> | null = null;

  constructor(args: SelfAttentionArgs) {
    super(args);
    this.heads = args.heads;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const dim = singleShape(inputShape)[2];
    if (typeof dim !== 'number') throw new Error('SelfAttention needs a known width');
    if (dim % this.heads !== 0) throw new Error(`width ${dim} is not divisible by ${this.heads} heads`);
    const make = (name: string): Projection => ({
      kernel: this.addWeight(`${name}_kernel`, [dim, dim], 'float32', tf.initializers.glorotUniform({ seed: deriveSeed(this.seed, name) })),
      bias: this.addWeight(`${name}_bias`, [dim], 'float32', tf.initializers.zeros()),
    });
    this.projections = { query: make('query'), key: make('key'), value: make('value'), output: make('output') };
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return singleShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const x = singleTensor(inputs);
    const projections = this.projections;
    if (projections === null) throw new Error('SelfAttention called before build');
    return tf.tidy(() => {
      const [batch, tokens, dim] = x.shape as [number, number, number];
      const heads = this.heads;
      const headDim = dim / heads;
      const rows = tf.reshape(x, [batch * tokens, dim]);
      const project = (p: Projection, input: tf.Tensor): tf.Tensor => tf.add(tf.matMul(input as tf.Tensor2D, p.kernel.read() as tf.Tensor2D), p.bias.read());
      // [batch * tokens, dim] -> [batch * heads, tokens, headDim]
      const split = (t: tf.Tensor): tf.Tensor3D =>
        tf.reshape(tf.transpose(tf.reshape(t, [batch, tokens, heads, headDim]), [0, 2, 1, 3]), [batch * heads, tokens, headDim]) as tf.Tensor3D;
      const query = split(project(projections.query, rows));
      const key = split(project(projections.key, rows));
      const value = split(project(projections.value, rows));
      const scores = tf.mul(tf.matMul(query, key, false, true), 1 / Math.sqrt(headDim));
      const attended = tf.matMul(tf.softmax(scores, -1) as tf.Tensor3D, value);
      const merged = tf.reshape(tf.transpose(tf.reshape(attended, [batch, heads, tokens, headDim]), [0, 2, 1, 3]), [batch * tokens, dim]);
      return tf.reshape(project(projections.output, merged), [batch, tokens, dim]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads, seed: this.seed };
  }
}

tf.serialization.registerClass(SelfAttention);
