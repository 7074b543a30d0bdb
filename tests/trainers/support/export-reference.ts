import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { cropRng, fitClip } from '../../../src/data/audio/clip.js';
import { computeFeatures } from '../../../src/data/features/index.js';
import { trainingRowPlan } from '../../../src/train/batches.js';
import { buildExpert } from '../../../src/experts/registry.js';
import type { ExpertSpec } from '../../../src/config/expert-spec.js';
import { buildGate } from '../../../src/gates/build-gate.js';
import { route } from '../../../src/gates/routing.js';
import type { FeatureConfig } from '../../../src/config/schema/features.js';
import type { GateConfig, MixtureConfig, RoutingConfig } from '../../../src/config/schema/moe.js';
import { Mixture } from '../../../src/train/moe/mixture.js';
import { type NamedVariable, modelVariables } from '../../../src/nn/variables.js';
import { Rng } from '../../../src/util/rng.js';

/**
 * Reference cases for the PyTorch trainer's equivalence test: each built-in model (expert,
 * gate, mixture) built with a fixed seed, its weights, an input and its outputs in
 * inference mode, written as float32 bundles (<stem>.json: [{name, shape, offset}],
 * <stem>.bin) and one manifest.json that trainers/pytorch/ablate_torch/compare.py reads.
 *
 * Zero-initialised weights (biases, batch-norm statistics, the noise head) are replaced by
 * seeded random values first: at their initial values a wrong layout or a missing term
 * (a transposed bias, a batch norm applied twice) would go unseen.
 */

type Arrays = Array<{ name: string; tensor: tf.Tensor }>;

function writeBundle(stem: string, arrays: Arrays): void {
  const index: Array<{ name: string; shape: number[]; offset: number }> = [];
  const parts: Float32Array[] = [];
  let offset = 0;
  for (const { name, tensor } of arrays) {
    const values = tensor.dataSync() as Float32Array;
    index.push({ name, shape: [...tensor.shape], offset });
    parts.push(Float32Array.from(values));
    offset += values.length;
  }
  const all = new Float32Array(offset);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  writeFileSync(`${stem}.json`, JSON.stringify(index));
  writeFileSync(`${stem}.bin`, Buffer.from(all.buffer, all.byteOffset, all.byteLength));
}

function randomTensor(shape: number[], rng: Rng, scale = 1): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => rng.normal() * scale), shape);
}

/** Seeded non-trivial values for the weights that start at constants. */
function perturb(variables: NamedVariable[], rng: Rng): void {
  for (const { name, variable } of variables) {
    const size = variable.size;
    let values: Float32Array | null = null;
    if (/\/(bias|beta|moving_mean|.*_bias)$/.test(name) || /_noise\/kernel$/.test(name)) values = Float32Array.from({ length: size }, () => rng.normal() * 0.1);
    else if (/\/(gamma|moving_variance|scale)$/.test(name)) values = Float32Array.from({ length: size }, () => rng.between(0.5, 1.5));
    if (values !== null) variable.assign(tf.tensor(values, variable.shape));
  }
}

function weightsOf(variables: NamedVariable[]): Arrays {
  return variables.map(({ name, variable }) => ({ name, tensor: variable }));
}

export interface ReferenceCase {
  name: string;
  kind: 'expert' | 'gate' | 'mixture' | 'features' | 'draws';
  /** What the Python side needs to build the same model. */
  config: Record<string, unknown>;
  /** Output names, in the bundle "<name>.outputs". */
  outputs: string[];
}

const EXPERTS: Array<{ name: string; spec: ExpertSpec; shape: number[] }> = [
  { name: 'lcnn', spec: { arch: 'lcnn', width: 0.25 }, shape: [64, 80] },
  { name: 'lcnn_small', spec: { arch: 'lcnn', width: 0.5, embeddingDim: 16 }, shape: [20, 26] },
  { name: 'resnet_odd', spec: { arch: 'resnet', width: 0.25, depth: [1, 2, 1] }, shape: [21, 33] },
  { name: 'resnet_even', spec: { arch: 'resnet', width: 0.5, depth: [2, 1], embeddingDim: 24 }, shape: [16, 24] },
  { name: 'sincnet', spec: { arch: 'sincnet', width: 0.25, depth: [1, 1] }, shape: [2000] },
  // The recipe knobs of #16: explicit channels, other embedding activations, the LCNN's embedding after its norm.
  { name: 'resnet_channels_leaky', spec: { arch: 'resnet', depth: [1, 2], channels: [6, 10], embeddingActivation: 'leaky-relu', embeddingDim: 12 }, shape: [16, 20] },
  { name: 'resnet_linear_embedding', spec: { arch: 'resnet', width: 0.25, depth: [1], embeddingActivation: 'none' }, shape: [12, 16] },
  { name: 'lcnn_after_norm', spec: { arch: 'lcnn', width: 0.25, embeddingDim: 16, embeddingAt: 'after-norm' }, shape: [20, 26] },
  { name: 'sincnet_relu', spec: { arch: 'sincnet', width: 0.25, depth: [1], embeddingActivation: 'relu' }, shape: [1500] },
];

const EMBEDDING_DIMS = [8, 12, 6];
const GATES: Array<{ name: string; gate: GateConfig; standardShape?: number[]; noisy: boolean }> = [
  { name: 'mlp_enhanced', gate: { type: 'mlp', input: 'enhanced', dim: 16, hidden: 24 }, noisy: true },
  { name: 'mlp_standard_spectral', gate: { type: 'mlp', input: 'standard', hidden: 24 }, standardShape: [10, 20], noisy: false },
  { name: 'mlp_standard_waveform', gate: { type: 'mlp', input: 'standard', hidden: 24 }, standardShape: [1000], noisy: true },
  { name: 'mlp_concat', gate: { type: 'mlp', input: 'concat', hidden: 24 }, noisy: true },
  { name: 'transformer_enhanced', gate: { type: 'transformer', input: 'enhanced', dim: 16, heads: 2, layers: 2 }, noisy: true },
  { name: 'transformer_standard_spectral', gate: { type: 'transformer', input: 'standard', dim: 16, heads: 4, layers: 1 }, standardShape: [10, 21], noisy: false },
  { name: 'transformer_enhanced_ff24', gate: { type: 'transformer', input: 'enhanced', dim: 16, heads: 2, layers: 2, feedForward: 24 }, noisy: false },
  { name: 'transformer_standard_waveform', gate: { type: 'transformer', input: 'standard', dim: 8, heads: 2, layers: 2 }, standardShape: [1000], noisy: false },
];

const ROUTINGS: Array<{ name: string; routing: RoutingConfig & { mode: 'soft' | 'topk' | 'noisy-topk'; k: number } }> = [
  { name: 'soft', routing: { mode: 'soft', k: 3 } },
  { name: 'top1_router', routing: { mode: 'topk', k: 1, weighting: 'router' } },
  { name: 'top2_renormalized', routing: { mode: 'topk', k: 2, weighting: 'renormalized' } },
];

const MIXTURES: Array<{
  name: string;
  experts: Array<{ spec: ExpertSpec; input: number; name: string }>;
  shapes: number[][];
  gate: GateConfig;
  routing: RoutingConfig;
  moe: MixtureConfig;
  labelSmoothing: number;
}> = [
  {
    name: 'mixture_enhanced_soft_prob',
    experts: [
      { spec: { arch: 'lcnn', width: 0.25, embeddingDim: 16 }, input: 0, name: 'lcnn_a' },
      { spec: { arch: 'resnet', width: 0.25, depth: [1, 1], embeddingDim: 12 }, input: 0, name: 'resnet_b' },
    ],
    shapes: [[24, 30]],
    gate: { type: 'mlp', input: 'enhanced', dim: 8, hidden: 16, dropout: 0 },
    routing: { mode: 'soft', balance: 'cv2', balanceWeight: 0.1 },
    moe: { loss: 'separate', mix: 'prob', expertLossWeight: 0.5 },
    labelSmoothing: 0.2,
  },
  {
    name: 'mixture_standard_top1_logit',
    experts: [
      { spec: { arch: 'lcnn', width: 0.25, embeddingDim: 8 }, input: 0, name: 'lcnn_a' },
      { spec: { arch: 'sincnet', width: 0.25, depth: [1] }, input: 1, name: 'sinc_b' },
      { spec: { arch: 'resnet', width: 0.25, depth: [1], embeddingDim: 8 }, input: 0, name: 'resnet_c' },
    ],
    shapes: [[16, 24], [1200]],
    gate: { type: 'transformer', input: 'standard', dim: 8, heads: 2, layers: 1, dropout: 0 },
    routing: { mode: 'topk', k: 1, balance: 'switch', balanceWeight: 0.05 },
    moe: { loss: 'shared', mix: 'logit' },
    labelSmoothing: 0,
  },
  {
    // The recipe knobs of #16 inside a mixture: concatenated embeddings, explicit channels, a linear embedding.
    name: 'mixture_concat_top1_prob',
    experts: [
      { spec: { arch: 'lcnn', width: 0.25, embeddingDim: 8, embeddingAt: 'after-norm' }, input: 0, name: 'lcnn_a' },
      { spec: { arch: 'resnet', depth: [1], channels: [6], embeddingDim: 6, embeddingActivation: 'none' }, input: 0, name: 'resnet_b' },
    ],
    shapes: [[16, 24]],
    gate: { type: 'mlp', input: 'concat', hidden: 12, dropout: 0 },
    routing: { mode: 'topk', k: 1, balance: 'switch', balanceWeight: 0.05 },
    moe: { loss: 'separate', mix: 'prob', expertLossWeight: 0.4 },
    labelSmoothing: 0.1,
  },
  {
    name: 'mixture_enhanced_noisy_top2_prob',
    experts: [
      { spec: { arch: 'lcnn', width: 0.25, embeddingDim: 8 }, input: 0, name: 'lcnn_a' },
      { spec: { arch: 'lcnn', width: 0.25, embeddingDim: 8 }, input: 0, name: 'lcnn_b' },
      { spec: { arch: 'resnet', width: 0.25, depth: [1], embeddingDim: 8 }, input: 0, name: 'resnet_c' },
    ],
    shapes: [[16, 24]],
    gate: { type: 'transformer', input: 'enhanced', dim: 8, heads: 2, layers: 1 },
    routing: { mode: 'noisy-topk', k: 2, balance: 'cv2', balanceWeight: 0.01 },
    moe: { loss: 'separate', mix: 'prob', expertLossWeight: 0.3 },
    labelSmoothing: 0.1,
  },
];

/** Front ends beyond the torchaudio golden fixtures: the recipe's pre-emphasis, mean normalisation, deltas. */
const FRONT_ENDS: Array<{ name: string; config: FeatureConfig }> = [
  { name: 'features_mel_recipe', config: { kind: 'mel', nFft: 512, winLength: 400, hopLength: 160, window: 'hamming', fMin: 20, fMax: 7600, nMels: 32, preEmphasis: 0.97, meanNorm: true } },
  { name: 'features_logspec', config: { kind: 'logspec', nFft: 128, hopLength: 160, preEmphasis: 0.97 } },
  { name: 'features_lfcc_deltas', config: { kind: 'lfcc', nFft: 512, nFilter: 40, nLfcc: 20, deltas: 2 } },
  { name: 'features_mfcc_slaney', config: { kind: 'mfcc', nFft: 400, nMels: 40, nMfcc: 13, melScale: 'slaney', norm: 'slaney', deltas: 1, meanNorm: true } },
  { name: 'features_waveform', config: { kind: 'waveform', preEmphasis: 0.97 } },
];

const BATCH = 5;

/** Write every reference case under `dir`; returns the manifest. */
export function exportReferenceCases(dir: string, seed = 11): ReferenceCase[] {
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(seed);
  const cases: ReferenceCase[] = [];
  for (const { name, spec, shape } of EXPERTS) {
    const { model } = buildExpert(spec, shape, seed, { name });
    const variables = modelVariables(model).variables;
    perturb(variables, rng);
    const input = randomTensor([BATCH, ...shape], rng, shape.length === 1 ? 0.3 : 1);
    const [embedding, logits] = model.apply(input, { training: false }) as tf.Tensor[];
    writeBundle(join(dir, `${name}.weights`), weightsOf(variables));
    writeBundle(join(dir, `${name}.io`), [{ name: 'input0', tensor: input }, { name: 'embedding', tensor: embedding as tf.Tensor }, { name: 'logits', tensor: logits as tf.Tensor }]);
    cases.push({ name, kind: 'expert', config: { spec, shape, name }, outputs: ['embedding', 'logits'] });
    model.dispose();
  }
  for (const { name, gate: config, standardShape, noisy } of GATES) {
    const gate = buildGate(config, { numExperts: 3, embeddingDims: EMBEDDING_DIMS, standardInputShape: standardShape, seed, noisy, name: 'gate' });
    perturb(gate.variables, rng);
    const inputs = config.input !== 'standard' ? EMBEDDING_DIMS.map((dim) => randomTensor([BATCH, dim], rng)) : [randomTensor([BATCH, ...(standardShape as number[])], rng)];
    const out = gate.apply(inputs, { training: false });
    const io: Arrays = inputs.map((tensor, i) => ({ name: `input${i}`, tensor }));
    io.push({ name: 'gate_logits', tensor: out.logits });
    const outputs = ['gate_logits'];
    if (out.noiseStd) {
      io.push({ name: 'noise_std', tensor: out.noiseStd });
      outputs.push('noise_std');
    }
    for (const { name: routingName, routing } of ROUTINGS) {
      const routed = route(out.logits, routing, { training: false });
      io.push({ name: `weights_${routingName}`, tensor: routed.weights });
      outputs.push(`weights_${routingName}`);
    }
    writeBundle(join(dir, `${name}.weights`), weightsOf(gate.variables));
    writeBundle(join(dir, `${name}.io`), io);
    cases.push({ name, kind: 'gate', config: { gate: config, standardShape: standardShape ?? null, noisy, embeddingDims: EMBEDDING_DIMS, routings: ROUTINGS }, outputs });
    gate.dispose();
  }
  for (const m of MIXTURES) {
    const members = m.experts.map((e, i) => ({ expert: buildExpert(e.spec, m.shapes[e.input] as number[], seed + i, { name: e.name }), input: e.input }));
    const mixture = new Mixture({ experts: members, gate: m.gate, routing: m.routing, moe: m.moe, labelSmoothing: m.labelSmoothing, seed });
    perturb(mixture.variables, rng);
    const inputs = m.shapes.map((shape) => randomTensor([BATCH, ...shape], rng, shape.length === 1 ? 0.3 : 1));
    const labels = tf.tensor1d([1, 0, 0, 1, 0], 'int32');
    const forward = mixture.forward(inputs, { training: false });
    const terms = mixture.lossTerms(forward, labels);
    const io: Arrays = inputs.map((tensor, i) => ({ name: `input${i}`, tensor }));
    const outputs = ['log_probs', 'gate_logits', 'weights', 'loss_total', 'loss_mixture', 'loss_experts', 'loss_balance'];
    // The weights as the inference outputs saw them: a training-mode pass moves the batch-norm statistics.
    const weights = weightsOf(mixture.variables).map(({ name, tensor }) => ({ name, tensor: tf.clone(tensor) }));
    // Training mode (no dropout, no routing noise here): batch statistics and every gradient.
    const training = m.routing.mode !== 'noisy-topk';
    if (training) {
      const names = new Map(mixture.variables.map(({ name, variable }) => [variable, name]));
      const { value, grads } = tf.variableGrads(() => mixture.lossTerms(mixture.forward(inputs, { training: true }), labels).total, mixture.trainable);
      io.push({ name: 'train_loss', tensor: value });
      writeBundle(
        join(dir, `${m.name}.grads`),
        // A weight no loss term reaches has no gradient entry: zero, as PyTorch leaves it.
        mixture.trainable.map((variable) => ({ name: names.get(variable) as string, tensor: grads[variable.name] ?? tf.zerosLike(variable) })),
      );
      outputs.push('train_loss', 'train_grads');
    }
    io.push(
      { name: 'labels', tensor: tf.cast(labels, 'float32') },
      { name: 'log_probs', tensor: forward.logProbs },
      { name: 'gate_logits', tensor: forward.gateLogits },
      { name: 'weights', tensor: forward.routed.weights },
      { name: 'loss_total', tensor: terms.total },
      { name: 'loss_mixture', tensor: terms.mixture },
      { name: 'loss_experts', tensor: terms.experts },
      { name: 'loss_balance', tensor: terms.balance },
    );
    writeBundle(join(dir, `${m.name}.weights`), weights);
    writeBundle(join(dir, `${m.name}.io`), io);
    cases.push({
      name: m.name,
      kind: 'mixture',
      config: { experts: m.experts, shapes: m.shapes, gate: m.gate, routing: m.routing, moe: m.moe, labelSmoothing: m.labelSmoothing },
      outputs,
    });
    mixture.dispose();
  }
  // A chirp plus noise: energy in every band, so log features stay far from the log floor.
  const sampleRate = 16000;
  const signal = Float32Array.from({ length: 8000 }, (_, i) => 0.3 * Math.sin(2 * Math.PI * (100 + 3 * i / 16) * (i / sampleRate)) + 0.05 * rng.normal());
  for (const { name, config } of FRONT_ENDS) {
    const { shape, data } = computeFeatures(signal, sampleRate, config);
    writeBundle(join(dir, `${name}.io`), [{ name: 'input0', tensor: tf.tensor(signal) }, { name: 'features', tensor: tf.tensor(data, shape) }]);
    cases.push({ name, kind: 'features', config: { features: config, sampleRate }, outputs: ['features'] });
  }
  // The random draws that decide what a trainer sees: training crop windows and class-balanced batch plans.
  const labels = Array.from({ length: 23 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const plan = new Rng(seed);
  // [batch size, steps, balanced, class pools, epoch]: the default plans, one shuffled pass, persistent pools at epochs 2 and 0.
  const batches: Array<[number, number | null, boolean, 'epoch' | 'persistent', number]> = [
    [6, null, true, 'epoch', 0],
    [7, 5, true, 'epoch', 0],
    [6, 5, false, 'epoch', 0],
    [6, 3, true, 'persistent', 2],
    [5, 2, true, 'persistent', 0],
  ];
  const epochs = batches.map(([batchSize, steps, balanced, pools, epoch]) =>
    trainingRowPlan(labels, plan, {
      batchSize,
      ...(steps !== null ? { stepsPerEpoch: steps } : {}),
      balanced,
      ...(pools === 'persistent' ? { persistentPools: { seed, epoch } } : {}),
    }),
  );
  const ids = ['LA_T_1000137', 'd1-bonafide-0003', 'x'];
  const slacks = [1, 100, 88_000];
  const crops = ids.flatMap((id) => slacks.map((slack) => cropRng({ seed: 0 }, id).int(slack + 1)));
  // data.tileOffset random: where the tiling of a 7-sample clip into 10 starts, per item.
  const tiles = ids.map((id) => fitClip(Float32Array.from({ length: 7 }, (_, i) => i), 10, 'random', cropRng({ seed: 0 }, id), true)[0] as number);
  writeBundle(join(dir, 'draws.io'), [{ name: 'plan', tensor: tf.tensor(epochs.flat(2)) }, { name: 'crops', tensor: tf.tensor(crops) }, { name: 'tiles', tensor: tf.tensor(tiles) }]);
  cases.push({ name: 'draws', kind: 'draws', config: { labels, seed, batches, ids, slacks }, outputs: ['plan', 'crops', 'tiles'] });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(cases, null, 2));
  return cases;
}
