import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/nn/backend.js';
import { Mixture, type MixtureMember, evaluateMixture, expertOwnScores } from '../../../src/train/moe/index.js';
import { tinyExperts, toyData } from './support/toy.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const data = toyData(20, 5);

/** Each expert's bona fide minus spoof logit on every item, by hand, [item][expert]. */
function byHand(members: MixtureMember[]): number[][] {
  const perExpert = members.map(({ expert, input }) => {
    const array = data.inputs[input] as { x: Float32Array; itemShape: number[] };
    const logits = tf.tidy(() => (expert.model.apply(tf.tensor(array.x, [20, ...array.itemShape]), { training: false }) as tf.Tensor[])[1] as tf.Tensor);
    const values = logits.arraySync() as number[][];
    logits.dispose();
    return values.map(([spoof, bonafide]) => (bonafide as number) - (spoof as number));
  });
  return Array.from({ length: 20 }, (_, item) => perExpert.map((scores) => scores[item] as number));
}

describe("each expert's own scores inside a mixture (issue 16 item 3)", () => {
  it('soft routing: the evaluation reports every expert on every item, equal to its logits by hand', () => {
    const mixture = new Mixture({ experts: tinyExperts(2),
      gate: { input: 'standard' }, seed: 3 });
    const expected = byHand(mixture.members);
    const evaluation = evaluateMixture(mixture, data, { batchSize: 7 });
    expected.forEach((row, item) => row.forEach((score, e) => expect(evaluation.expertScores[item * 3 + e]).toBeCloseTo(score, 4)));
    expect(Array.from(evaluation.weights.subarray(0, 3)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('hard routing that skips experts leaves their unrouted items NaN; expertOwnScores runs each expert on all of them', () => {
    const mixture = new Mixture({ experts: tinyExperts(2),
      gate: { input: 'standard' }, routing: { mode: 'topk', k: 1 }, seed: 3 });
    expect(mixture.skipsUnselectedExperts).toBe(true);
    const expected = byHand(mixture.members);
    const before = tf.memory().numTensors;
    const evaluation = evaluateMixture(mixture, data, { batchSize: 7 });
    const own = expertOwnScores(mixture.members, data, { batchSize: 7 });
    expect(tf.memory().numTensors).toBe(before);
    let skipped = 0;
    expected.forEach((row, item) =>
      row.forEach((score, e) => {
        expect(own[item * 3 + e]).toBeCloseTo(score, 4);
        const inMixture = evaluation.expertScores[item * 3 + e] as number;
        // Within a batch an expert runs on every item or on the routed ones only; a run expert's score is its own.
        if (Number.isNaN(inMixture)) skipped++;
        else expect(inMixture).toBeCloseTo(score, 4);
      }),
    );
    expect(skipped).toBeGreaterThan(0);
  });
});
