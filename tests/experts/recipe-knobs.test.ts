import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExpert } from '../../src/experts/registry.js';
import { buildGate } from '../../src/gates/build-gate.js';
import { initBackend } from '../../src/nn/backend.js';
import { isUserError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';

beforeAll(async () => {
  await initBackend('wasm');
});

function input(shape: number[], seed = 1): tf.Tensor {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => rng.normal()), shape);
}

function outputs(model: tf.LayersModel, x: tf.Tensor): { embedding: Float32Array; logits: Float32Array } {
  const [embedding, logits] = model.predict(x) as tf.Tensor[];
  return { embedding: embedding!.dataSync() as Float32Array, logits: logits!.dataSync() as Float32Array };
}

function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isUserError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('expert recipe knobs', () => {
  it('resnet channels: each stage has the listed channels, the stem the first', () => {
    const { model } = buildExpert({ arch: 'resnet', depth: [1, 2, 1], channels: [5, 12, 7] }, [16, 20], 3);
    const outChannels = (layer: string): number => model.getLayer(layer).getWeights()[0]!.shape[3] as number;
    expect([outChannels('resnet_stem'), outChannels('resnet_s1b1_conv1'), outChannels('resnet_s2b2_conv2'), outChannels('resnet_s3b1_conv1')]).toEqual([5, 5, 12, 7]);
    model.dispose();
  });

  it('resnet channels: one count per stage, else a UserError naming the path', () => {
    const message = thrown(() => buildExpert({ arch: 'resnet', depth: [1, 1], channels: [8] }, [16, 20], 3, { specPath: 'base.experts[0]' }));
    expect(message).toContain('base.experts[0].channels');
    expect(message).toContain('per stage of depth [1, 1]');
    expect(thrown(() => buildExpert({ arch: 'lcnn', channels: [8] }, [16, 20], 3))).toContain('for the resnet');
  });

  it('embedding activation: relu (the resnet default) is never negative, none is, and the logits follow the embedding', () => {
    const x = input([4, 16, 20]);
    const relu = buildExpert({ arch: 'resnet', width: 0.25, depth: [1] }, [16, 20], 3).model;
    const linear = buildExpert({ arch: 'resnet', width: 0.25, depth: [1], embeddingActivation: 'none' }, [16, 20], 3).model;
    const leaky = buildExpert({ arch: 'resnet', width: 0.25, depth: [1], embeddingActivation: 'leaky-relu' }, [16, 20], 3).model;
    const [r, n, l] = [outputs(relu, x), outputs(linear, x), outputs(leaky, x)];
    expect(Math.min(...r.embedding)).toBeGreaterThanOrEqual(0);
    expect(Math.min(...n.embedding)).toBeLessThan(0);
    // Same seed, same weights: relu(none) is the relu embedding, 0.01 x the negatives the leaky one.
    n.embedding.forEach((value, i) => {
      expect(r.embedding[i]).toBeCloseTo(Math.max(0, value), 5);
      expect(l.embedding[i]).toBeCloseTo(value >= 0 ? value : 0.01 * value, 5);
    });
    expect(thrown(() => buildExpert({ arch: 'resnet', embeddingActivation: 'mfm' }, [16, 20], 3))).toContain('embeddingActivation');
    [relu, linear, leaky].forEach((m) => m.dispose());
  });

  it('lcnn embeddingAt after-norm: the embedding is the normalised one, the logits unchanged', () => {
    const x = input([3, 20, 26]);
    const before = buildExpert({ arch: 'lcnn', width: 0.25, embeddingDim: 8 }, [20, 26], 5).model;
    const after = buildExpert({ arch: 'lcnn', width: 0.25, embeddingDim: 8, embeddingAt: 'after-norm' }, [20, 26], 5).model;
    const bn = before.getLayer('lcnn_fc1_bn');
    // Non-trivial statistics, so the norm is visible.
    const stats = bn.getWeights().map((w, i) => tf.fill(w.shape, i === 2 ? 0.5 : i === 3 ? 4 : 0.3));
    bn.setWeights(stats);
    after.getLayer('lcnn_fc1_bn').setWeights(stats);
    const [b, a] = [outputs(before, x), outputs(after, x)];
    expect(Array.from(a.logits)).toEqual(Array.from(b.logits));
    b.embedding.forEach((value, i) => expect(a.embedding[i]).toBeCloseTo(0.3 * ((value - 0.5) / Math.sqrt(4 + 1e-5)) + 0.3, 4));
    expect(thrown(() => buildExpert({ arch: 'resnet', embeddingAt: 'after-norm' }, [16, 20], 3))).toContain('only the LCNN');
    [before, after].forEach((m) => m.dispose());
  });
});

describe('gate recipe knobs', () => {
  it('transformer feedForward sets the width of every encoder layer (default 4 x dim)', () => {
    const widths = (feedForward?: number): number[] => {
      const gate = buildGate({ type: 'transformer', dim: 16, heads: 2, layers: 2, ...(feedForward ? { feedForward } : {}) }, { numExperts: 2, embeddingDims: [8, 8], seed: 1 });
      const out = gate.variables.filter(({ name }) => /ff1\/kernel$/.test(name)).map(({ variable }) => variable.shape[1] as number);
      gate.dispose();
      return out;
    };
    expect(widths()).toEqual([64, 64]);
    expect(widths(24)).toEqual([24, 24]);
  });

  it('mlp input concat: the experts\' embeddings side by side, no projection; refused for a transformer gate', () => {
    const gate = buildGate({ type: 'mlp', input: 'concat', hidden: 10, dropout: 0 }, { numExperts: 3, embeddingDims: [8, 5, 3], seed: 1 });
    const kernels = gate.variables.filter(({ name }) => /kernel$/.test(name)).map(({ name, variable }) => [name, variable.shape]);
    expect(kernels).toEqual([
      ['gate_fc1/kernel', [16, 10]],
      ['gate_logits/kernel', [10, 3]],
    ]);
    // The gate reads the embeddings themselves: scaling one expert's embedding changes its logits.
    const embeddings = [input([4, 8], 1), input([4, 5], 2), input([4, 3], 3)];
    const a = gate.apply(embeddings, { training: false }).logits.dataSync();
    const b = gate.apply([embeddings[0]!, embeddings[1]!.mul(3), embeddings[2]!], { training: false }).logits.dataSync();
    expect(Array.from(a)).not.toEqual(Array.from(b));
    gate.dispose();
    const message = thrown(() => buildGate({ type: 'transformer', input: 'concat' }, { numExperts: 2, embeddingDims: [8, 8], seed: 1 }));
    expect(message).toContain('gate.input');
    expect(message).toContain('mlp gate');
  });
});
