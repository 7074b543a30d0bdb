import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/nn/backend.js';
import { softmaxCrossEntropy } from '../../../src/train/loss.js';
import { withStepSeed } from '../../../src/nn/step-seed.js';
import { Mixture, disposeForward } from '../../../src/train/moe/index.js';
import { batchTensors, tinyExperts, toyData } from './support/toy.js';

const data = toyData(12, 3);
let batch: ReturnType<typeof batchTensors>;

beforeAll(async () => {
  await initBackend('wasm');
  batch = batchTensors(data, 12);
});
afterAll(() => tf.dispose([...batch.inputs, batch.labels]));

function rows(t: tf.Tensor): number[][] {
  return t.arraySync() as number[][];
}

function logSoftmaxRow(z: number[]): number[] {
  const max = Math.max(...z);
  const lse = max + Math.log(z.reduce((a, v) => a + Math.exp(v - max), 0));
  return z.map((v) => v - lse);
}

/** Gradients of the mixture's training loss on `batch` for every variable it reaches, as plain arrays by variable name. */
function gradientsOf(mixture: Mixture, input: ReturnType<typeof batchTensors> = batch, training = false): Map<string, Float32Array> {
  const { value, grads } = tf.variableGrads(() => mixture.loss(input, { training }), mixture.trainable);
  const byName = new Map<string, Float32Array>();
  for (const { name, variable } of mixture.variables) {
    const g = grads[variable.name];
    if (g !== undefined) byName.set(name, g.dataSync() as Float32Array);
  }
  tf.dispose([value, ...Object.values(grads)]);
  return byName;
}

const isZero = (values: Float32Array | undefined): boolean => values === undefined || values.every((v) => v === 0);

describe('Mixture losses', () => {
  it('probability mixing: the loss is the NLL of sum_i w_i softmax(z_i), with label smoothing, computed by hand', () => {
    const mixture = new Mixture({ experts: tinyExperts(1), gate: { type: 'mlp', input: 'enhanced', hidden: 8, dim: 8 }, moe: { mix: 'prob' }, labelSmoothing: 0.2, seed: 4 });
    const forward = mixture.forward(batch.inputs, { training: false });
    const weights = rows(forward.routed.weights);
    const expertLogits = forward.expertLogits.map(rows);
    const labels = Array.from(data.labels);
    let nll = 0;
    labels.forEach((label, b) => {
      const p = [0, 1].map((c) => expertLogits.reduce((a, z, i) => a + (weights[b]?.[i] ?? 0) * Math.exp(logSoftmaxRow(z[b] as number[])[c] as number), 0));
      const target = [0, 1].map((c) => (c === label ? 0.8 : 0) + 0.1);
      nll -= target.reduce((a, t, c) => a + t * Math.log(p[c] as number), 0);
      // The mixture output is that probability.
      expect(rows(forward.mixed)[b]?.[1]).toBeCloseTo(p[1] as number, 5);
    });
    const terms = mixture.lossTerms(forward, batch.labels);
    expect(terms.mixture.dataSync()[0]).toBeCloseTo(nll / labels.length, 5);
    expect(terms.total.dataSync()[0]).toBeCloseTo(nll / labels.length, 5);
    tf.dispose([terms.total, terms.mixture, terms.experts, terms.balance]);
    disposeForward(forward);
    mixture.dispose();
  });

  it('logit mixing: the loss is cross-entropy on sum_i w_i z_i', () => {
    const mixture = new Mixture({ experts: tinyExperts(1), gate: { type: 'mlp', input: 'standard', hidden: 8 }, moe: { mix: 'logit' }, labelSmoothing: 0, seed: 4 });
    const forward = mixture.forward(batch.inputs, { training: false });
    const weights = rows(forward.routed.weights);
    const expertLogits = forward.expertLogits.map(rows);
    let ce = 0;
    Array.from(data.labels).forEach((label, b) => {
      const z = [0, 1].map((c) => expertLogits.reduce((a, zi, i) => a + (weights[b]?.[i] ?? 0) * (zi[b]?.[c] ?? 0), 0));
      ce -= logSoftmaxRow(z)[label] as number;
    });
    const terms = mixture.lossTerms(forward, batch.labels);
    expect(terms.total.dataSync()[0]).toBeCloseTo(ce / 12, 5);
    tf.dispose([terms.total, terms.mixture, terms.experts, terms.balance]);
    disposeForward(forward);
    mixture.dispose();
  });

  it('shared vs separate: the separate loss adds expertLossWeight x the mean expert cross-entropy to the experts\' gradients only', () => {
    const make = (loss: 'shared' | 'separate'): Mixture =>
      new Mixture({ experts: tinyExperts(5), gate: { type: 'mlp', input: 'enhanced', hidden: 8, dim: 8 }, moe: { loss, expertLossWeight: 0.5 }, labelSmoothing: 0.1, seed: 6 });
    const shared = make('shared');
    const separate = make('separate');
    const gShared = gradientsOf(shared);
    const gSeparate = gradientsOf(separate);

    // The experts' own losses alone, on the same (identical) weights.
    const { value, grads } = tf.variableGrads(() => {
      const forward = separate.forward(batch.inputs, { training: false });
      return tf.mean(tf.stack(forward.expertLogits.map((z) => softmaxCrossEntropy(z, batch.labels, 0.1)))) as tf.Scalar;
    }, separate.trainable);
    const own = new Map(separate.variables.map(({ name, variable }) => [name, grads[variable.name]?.dataSync() as Float32Array | undefined]));

    let differing = 0;
    for (const { name } of shared.variables) {
      const a = gShared.get(name);
      const b = gSeparate.get(name);
      if (a === undefined || b === undefined) continue;
      const o = own.get(name);
      if (name.startsWith('gate_')) {
        // The experts' losses do not depend on the gate.
        b.forEach((v, i) => expect(v).toBeCloseTo(a[i] as number, 5));
        expect(isZero(o)).toBe(true);
      } else {
        b.forEach((v, i) => expect(v).toBeCloseTo((a[i] as number) + 0.5 * ((o?.[i] as number) ?? 0), 4));
        if (b.some((v, i) => Math.abs(v - (a[i] as number)) > 1e-6)) differing++;
      }
    }
    // Every expert's logits layer (at least) sees a different gradient.
    expect(differing).toBeGreaterThanOrEqual(3 * 2);
    tf.dispose([value, ...Object.values(grads)]);
    shared.dispose();
    separate.dispose();
  });

  it('adds the weighted balancing loss', () => {
    const mixture = new Mixture({ experts: tinyExperts(1), gate: { input: 'enhanced', hidden: 8, dim: 8 }, routing: { balance: 'cv2', balanceWeight: 0.3 }, seed: 2 });
    const forward = mixture.forward(batch.inputs, { training: false });
    const terms = mixture.lossTerms(forward, batch.labels);
    const [total, nll, balance] = [terms.total, terms.mixture, terms.balance].map((t) => t.dataSync()[0] as number) as [number, number, number];
    expect(balance).toBeGreaterThan(0);
    expect(total).toBeCloseTo(nll + 0.3 * balance, 6);
    tf.dispose([terms.total, terms.mixture, terms.experts, terms.balance]);
    disposeForward(forward);
    mixture.dispose();
  });
});

describe('Mixture hard routing', () => {
  for (const input of ['standard', 'enhanced'] as const) {
    for (const mode of ['topk', 'noisy-topk'] as const) {
      it(`${mode} with a ${input} gate: exactly k non-zero weights per item and gradients only to the selected experts`, () => {
        const mixture = new Mixture({ experts: tinyExperts(9), gate: { type: 'transformer', input, dim: 8, heads: 2, layers: 1 }, routing: { mode, k: 2 }, moe: { loss: 'shared' }, seed: 3 });
        const forward = mixture.forward(batch.inputs, { training: true });
        const selected = rows(forward.routed.selected);
        for (const row of rows(forward.routed.weights)) expect(row.filter((w) => w !== 0)).toHaveLength(2);
        for (const row of selected) expect(row.reduce((a, v) => a + v, 0)).toBe(2);
        // A standard gate knows the routing before any expert runs: each expert runs on its items only.
        if (input === 'standard') {
          expect(forward.evaluatedRows).toEqual([0, 1, 2].map((i) => selected.filter((row) => row[i] === 1).length));
          expect(forward.evaluatedRows.reduce((a, b) => a + b, 0)).toBe(12 * 2);
        } else {
          expect(forward.evaluatedRows).toEqual([12, 12, 12]);
        }
        disposeForward(forward);

        // Item by item (inference mode, so the selection is the one above for top-k):
        // the experts not selected get no gradient at all (standard gate) or none through
        // their outputs (enhanced: their embeddings still feed the gate's choice).
        for (let item = 0; item < 4; item++) {
          const one = { inputs: batch.inputs.map((x) => tf.slice(x, [item], [1])), labels: tf.slice(batch.labels, [item], [1]) };
          const routedOne = mixture.forward(one.inputs, { training: false });
          const chosen = rows(routedOne.routed.selected)[0] as number[];
          disposeForward(routedOne);
          const grads = gradientsOf(mixture, one);
          chosen.forEach((isSelected, i) => {
            const logitsKernel = grads.get(`expert${i}_logits/kernel`);
            const all = [...grads.entries()].filter(([name]) => name.startsWith(`expert${i}_`)).map(([, g]) => g);
            if (isSelected === 1) expect(isZero(logitsKernel)).toBe(false);
            else if (input === 'standard') expect(all.every(isZero)).toBe(true);
            else expect(isZero(logitsKernel)).toBe(true);
          });
          tf.dispose([...one.inputs, one.labels]);
        }
        mixture.dispose();
      });
    }
  }

  it('noisy top-k draws its noise from the training step\'s seed: same step, same routing; another step, another', () => {
    const make = (): Mixture => new Mixture({ experts: tinyExperts(9), gate: { input: 'standard', hidden: 8, dropout: 0 }, routing: { mode: 'noisy-topk', k: 1 }, seed: 3 });
    const [a, b] = [make(), make()];
    const routing = (mixture: Mixture, stepSeed: number): number[][] =>
      withStepSeed(stepSeed, () => {
        const forward = mixture.forward(batch.inputs, { training: true });
        const weights = rows(forward.routed.selected);
        disposeForward(forward);
        return weights;
      });
    expect(routing(b, 100)).toEqual(routing(a, 100));
    const steps = [101, 102, 103].map((seed) => routing(a, seed));
    expect(steps.some((s) => JSON.stringify(s) !== JSON.stringify(steps[0]))).toBe(true);
    a.dispose();
    b.dispose();
  });
});

describe('Mixture bookkeeping', () => {
  it('scores are log p(bona fide) - log p(spoof) of the mixture, with weights and selections per item; nothing leaks', () => {
    const before = tf.memory().numTensors;
    const mixture = new Mixture({ experts: tinyExperts(1), gate: { type: 'transformer', input: 'enhanced', dim: 8, heads: 2, layers: 1 }, routing: { mode: 'topk', k: 1 }, seed: 4 });
    const scored = mixture.scores(batch.inputs);
    const forward = mixture.forward(batch.inputs, { training: false });
    const logProbs = rows(forward.logProbs);
    scored.scores.forEach((s, b) => expect(s).toBeCloseTo((logProbs[b]?.[1] as number) - (logProbs[b]?.[0] as number), 5));
    expect(scored.weights).toHaveLength(12 * 3);
    expect(Array.from(scored.selected)).toEqual(rows(forward.routed.selected).flat());
    disposeForward(forward);
    const grads = gradientsOf(mixture, batch, true);
    expect(grads.size).toBeGreaterThan(0);
    mixture.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('offers only the gate\'s variables to the optimizer when the experts are frozen', () => {
    const frozen = new Mixture({ experts: tinyExperts(1), gate: { input: 'enhanced' }, moe: { freezeExperts: true }, seed: 1 });
    const joint = new Mixture({ experts: tinyExperts(1), gate: { input: 'enhanced' }, moe: { freezeExperts: false }, seed: 1 });
    expect(frozen.trainable).toEqual(frozen.gate.trainable);
    expect(joint.trainable.length).toBeGreaterThan(joint.gate.trainable.length);
    expect(new Set(frozen.variables.map((v) => v.name)).size).toBe(frozen.variables.length);
    frozen.dispose();
    joint.dispose();
  });

  it('refuses experts that share a name, and inputs of the wrong shape', () => {
    const experts = tinyExperts(1);
    const duplicate = tinyExperts(2)[0];
    expect(() => new Mixture({ experts: [...experts, duplicate as (typeof experts)[0]], seed: 1 })).toThrow(/both named "expert0_/);
    const mixture = new Mixture({ experts, seed: 1 });
    expect(() => mixture.forward([batch.inputs[1] as tf.Tensor, batch.inputs[0] as tf.Tensor], { training: false })).toThrow(/input 0 has items of \[12, 24\], its experts expect \[16, 24\]/);
    mixture.dispose();
    duplicate?.expert.model.dispose();
  });
});

