import * as tf from '@tensorflow/tfjs';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay (PyTorch AdamW's weight_decay). */
  weightDecay?: number;
}

/** What a checkpoint needs to continue the optimizer exactly. */
export interface AdamWState {
  step: number;
  /** First and second moments, one per variable, in the order the optimizer was given. */
  m: Float32Array[];
  v: Float32Array[];
}

/**
 * AdamW exactly as PyTorch's torch.optim.AdamW (Loshchilov & Hutter): decay the weights
 * by lr * weightDecay, then the bias-corrected Adam step. Written here because tfjs has
 * Adam without decoupled decay and keeps its moments in private fields a checkpoint
 * cannot read back; these moments are plain variables with getState/setState.
 */
export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  /** Learning rate of the next step (the schedule sets it). */
  learningRate = 1e-3;
  private stepCount = 0;
  private readonly moments: Array<{ variable: tf.Variable; m: tf.Variable; v: tf.Variable }>;

  constructor(variables: tf.Variable[], options: AdamWOptions = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    // tidy frees the zero tensors; variables survive it.
    this.moments = tf.tidy(() =>
      variables.map((variable) => ({
        variable,
        m: tf.variable(tf.zerosLike(variable), false),
        v: tf.variable(tf.zerosLike(variable), false),
      })),
    );
  }

  get step(): number {
    return this.stepCount;
  }

  /** One update from gradients keyed by variable name (what tf.variableGrads returns). */
  applyGradients(gradients: Record<string, tf.Tensor>): void {
    this.stepCount++;
    const lr = this.learningRate;
    const stepSize = lr / (1 - this.beta1 ** this.stepCount);
    const rootCorrection2 = Math.sqrt(1 - this.beta2 ** this.stepCount);
    const keep = 1 - lr * this.weightDecay;
    for (const { variable, m, v } of this.moments) {
      const gradient = gradients[variable.name];
      if (gradient === undefined) continue;
      tf.tidy(() => {
        const nextM = tf.add(tf.mul(m, this.beta1), tf.mul(gradient, 1 - this.beta1));
        const nextV = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
        const denominator = tf.add(tf.div(tf.sqrt(nextV), rootCorrection2), this.epsilon);
        const decayed = keep === 1 ? variable : tf.mul(variable, keep);
        variable.assign(tf.sub(decayed, tf.mul(tf.div(nextM, denominator), stepSize)));
        m.assign(nextM);
        v.assign(nextV);
      });
    }
  }

  getState(): AdamWState {
    return {
      step: this.stepCount,
      m: this.moments.map(({ m }) => m.dataSync() as Float32Array),
      v: this.moments.map(({ v }) => v.dataSync() as Float32Array),
    };
  }

  setState(state: AdamWState): void {
    if (state.m.length !== this.moments.length || state.v.length !== this.moments.length) {
      throw new Error(`optimizer state has ${state.m.length} moments for ${this.moments.length} variables`);
    }
    this.moments.forEach(({ m, v }, i) => {
      tf.tidy(() => {
        m.assign(tf.tensor(state.m[i] as Float32Array, m.shape));
        v.assign(tf.tensor(state.v[i] as Float32Array, v.shape));
      });
    });
    this.stepCount = state.step;
  }

  dispose(): void {
    for (const { m, v } of this.moments) {
      m.dispose();
      v.dispose();
    }
  }
}
