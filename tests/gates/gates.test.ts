import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGate } from '../../src/gates/index.js';
import { CrossTerm } from '../../src/gates/layers/cross-term.js';
import { SelfAttention } from '../../src/gates/layers/self-attention.js';
import { StandardSummary } from '../../src/gates/layers/standard-summary.js';
import { initBackend } from '../../src/nn/backend.js';
import { isUserError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';

beforeAll(async () => {
  await initBackend('wasm');
});

function randomTensor(shape: number[], seed: number): tf.Tensor {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => rng.normal()), shape);
}

const EMBEDDING_DIMS = [8, 12, 6];
const SPECTRAL = [10, 20];
const WAVEFORM = [1000];

function gateInputs(input: 'standard' | 'enhanced', itemShape: number[], batch: number, seed: number): tf.Tensor[] {
  return input === 'enhanced' ? EMBEDDING_DIMS.map((dim, i) => randomTensor([batch, dim], seed + i)) : [randomTensor([batch, ...itemShape], seed)];
}

describe('buildGate', () => {
  for (const type of ['mlp', 'transformer'] as const) {
    for (const input of ['standard', 'enhanced'] as const) {
      for (const itemShape of input === 'standard' ? [SPECTRAL, WAVEFORM] : [SPECTRAL]) {
        it(`${type} / ${input}${input === 'standard' ? ` [${itemShape.join('x')}]` : ''}: one logit per expert, seeded, gradients to every weight, no leaks`, () => {
          const before = tf.memory().numTensors;
          const options = { numExperts: 3, embeddingDims: EMBEDDING_DIMS, standardInputShape: itemShape, seed: 7, noisy: true };
          const gate = buildGate({ type, input, hidden: 16, dim: 8, heads: 2, layers: 2, dropout: 0.1 }, options);
          const twin = buildGate({ type, input, hidden: 16, dim: 8, heads: 2, layers: 2, dropout: 0.1 }, options);
          const other = buildGate({ type, input, hidden: 16, dim: 8, heads: 2, layers: 2, dropout: 0.1 }, { ...options, seed: 8 });
          const inputs = gateInputs(input, itemShape, 5, 1);

          const out = gate.apply(inputs, { training: false });
          expect(out.logits.shape).toEqual([5, 3]);
          expect(out.noiseStd?.shape).toEqual([5, 3]);
          // The noise head starts at zero weights: softplus(0) everywhere.
          for (const v of out.noiseStd?.dataSync() ?? []) expect(v).toBeCloseTo(Math.log(2), 5);
          const same = twin.apply(inputs, { training: false });
          expect(Array.from(same.logits.dataSync())).toEqual(Array.from(out.logits.dataSync()));
          const different = other.apply(inputs, { training: false });
          expect(Array.from(different.logits.dataSync())).not.toEqual(Array.from(out.logits.dataSync()));

          // Every trainable weight except the noise head (not used by this loss) gets a gradient.
          const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(gate.apply(inputs, { training: true }).logits)) as tf.Scalar, gate.trainable);
          const withGradient = gate.trainable.filter((v) => {
            const g = grads[v.name];
            return g !== undefined && Array.from(g.dataSync()).some((x) => x !== 0);
          });
          const noiseHead = gate.trainable.filter((v) => v.name.startsWith('gate_noise'));
          expect(withGradient.length).toBe(gate.trainable.length - noiseHead.length);

          const outputs = [out, same, different].flatMap(({ logits, noiseStd }) => (noiseStd === null ? [logits] : [logits, noiseStd]));
          tf.dispose([value, ...Object.values(grads), ...outputs, ...inputs]);
          gate.dispose();
          twin.dispose();
          other.dispose();
          expect(tf.memory().numTensors).toBe(before);
        });
      }
    }
  }

  it('builds the enhanced MLP as the authors do: per-expert projections, one shared batch norm, the cross term, then the head', () => {
    const gate = buildGate({ type: 'mlp', input: 'enhanced', hidden: 64, dim: 32 }, { numExperts: 4, embeddingDims: [64, 64, 64, 64], seed: 1 });
    const names = gate.variables.map((v) => v.name);
    for (let i = 0; i < 4; i++) expect(names).toContain(`gate_proj${i}/kernel`);
    expect(names.filter((n) => n.startsWith('gate_proj_bn/'))).toHaveLength(4); // gamma, beta, moving mean and variance: one set
    expect((gate.model.getLayer('gate_proj_bn').getWeights()[0] as tf.Tensor).shape).toEqual([32]);
    expect(names).toContain('gate_cross/scale');
    const fc1 = gate.model.getLayer('gate_fc1').getWeights()[0] as tf.Tensor;
    expect(fc1.shape).toEqual([(4 + 1) * 32, 64]);
    expect((gate.model.getLayer('gate_logits').getWeights()[0] as tf.Tensor).shape).toEqual([64, 4]);
    gate.dispose();
  });

  it('rejects settings it cannot build with the JSON path in the message', () => {
    const attempt = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      return null;
    };
    const heads = attempt(() => buildGate({ type: 'transformer', dim: 10, heads: 3 }, { numExperts: 2, embeddingDims: [4, 4], seed: 1 }));
    expect(isUserError(heads)).toBe(true);
    expect((heads as Error).message).toMatch(/^gate\.heads: expected a divisor of gate\.dim \(10\)/);
    const type = attempt(() => buildGate({ type: 'gru' as 'mlp' }, { numExperts: 2, embeddingDims: [4, 4], seed: 1 }));
    expect((type as Error).message).toMatch(/^gate\.type: expected one of "mlp", "transformer", got "gru"/);
  });
});

describe('gate layers', () => {
  it('StandardSummary gives per-bin mean and standard deviation per time segment, and raw waveform segments', () => {
    const x = randomTensor([2, 3, 10], 4);
    const values = x.arraySync() as number[][][];
    const summary = new StandardSummary({ segments: 2 });
    const out = summary.apply(x) as tf.Tensor;
    expect(out.shape).toEqual([2, 2, 6]);
    const got = out.arraySync() as number[][][];
    for (let b = 0; b < 2; b++) {
      for (let s = 0; s < 2; s++) {
        for (let bin = 0; bin < 3; bin++) {
          const part = (values[b]?.[bin] ?? []).slice(s * 5, s * 5 + 5);
          const mean = part.reduce((a, v) => a + v, 0) / part.length;
          const std = Math.sqrt(part.reduce((a, v) => a + (v - mean) ** 2, 0) / part.length);
          expect(got[b]?.[s]?.[bin]).toBeCloseTo(mean, 5);
          expect(got[b]?.[s]?.[3 + bin]).toBeCloseTo(std, 5);
        }
      }
    }
    const wave = tf.range(0, 2 * 11).reshape([2, 11]);
    const segments = new StandardSummary({ segments: 3 }).apply(wave) as tf.Tensor;
    expect(segments.arraySync()).toEqual([
      [[0, 1, 2], [3, 4, 5], [6, 7, 8]],
      [[11, 12, 13], [14, 15, 16], [17, 18, 19]],
    ]);
    tf.dispose([x, out, wave, segments]);
  });

  it('CrossTerm is the element-wise product of the expert tokens times a learned vector', () => {
    const a = randomTensor([3, 4], 1);
    const b = randomTensor([3, 4], 2);
    const tokens = tf.stack([a, b], 1);
    const layer = new CrossTerm({});
    const out = layer.apply(tokens) as tf.Tensor;
    const scale = tf.tensor1d([1, 2, 3, 4]);
    layer.setWeights([scale]);
    const scaled = layer.apply(tokens) as tf.Tensor;
    const expected = tf.mul(tf.mul(a, b), scale);
    expect(Array.from(out.dataSync())).toEqual(Array.from(tf.mul(a, b).dataSync()));
    const got = scaled.dataSync();
    expected.dataSync().forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    tf.dispose([a, b, tokens, out, scale, scaled, expected]);
  });

  it('SelfAttention matches scaled dot-product attention computed by hand', () => {
    const [batch, tokens, dim, heads] = [2, 3, 4, 2];
    const x = randomTensor([batch, tokens, dim], 9);
    const layer = new SelfAttention({ heads, seed: 3 });
    const out = (layer.apply(x) as tf.Tensor).arraySync() as number[][][];
    // Weights in build order: query, key, value, output; each kernel [dim, dim] then bias [dim].
    const weights = layer.getWeights().map((w) => w.arraySync()) as Array<number[][] | number[]>;
    const [wq, bq, wk, bk, wv, bv, wo, bo] = weights as [number[][], number[], number[][], number[], number[][], number[], number[][], number[]];
    const xs = x.arraySync() as number[][][];
    const affine = (row: number[], w: number[][], b: number[]): number[] => b.map((bias, j) => bias + row.reduce((a, v, i) => a + v * (w[i]?.[j] ?? 0), 0));
    const headDim = dim / heads;
    for (let n = 0; n < batch; n++) {
      const rows = xs[n] as number[][];
      const q = rows.map((r) => affine(r, wq, bq));
      const k = rows.map((r) => affine(r, wk, bk));
      const v = rows.map((r) => affine(r, wv, bv));
      const merged = rows.map(() => new Array<number>(dim).fill(0));
      for (let h = 0; h < heads; h++) {
        const cols = Array.from({ length: headDim }, (_, i) => h * headDim + i);
        for (let t = 0; t < tokens; t++) {
          const scores = k.map((kr) => cols.reduce((a, c) => a + (q[t]?.[c] ?? 0) * (kr[c] ?? 0), 0) / Math.sqrt(headDim));
          const max = Math.max(...scores);
          const exps = scores.map((s) => Math.exp(s - max));
          const total = exps.reduce((a, e) => a + e, 0);
          for (const c of cols) (merged[t] as number[])[c] = exps.reduce((a, e, u) => a + (e / total) * (v[u]?.[c] ?? 0), 0);
        }
      }
      merged.forEach((row, t) => affine(row, wo, bo).forEach((expected, j) => expect(out[n]?.[t]?.[j]).toBeCloseTo(expected, 4)));
    }
    x.dispose();
    layer.dispose();
  });
});
