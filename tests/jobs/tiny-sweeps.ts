import { writeSweep } from '../search/sweep-fixtures.js';

/** The front end every tiny sweep uses: 16 mel bands, so a model trains in seconds. */
export const tinyMel = { kind: 'mel', nFft: 256, winLength: 256, hopLength: 128, window: 'hamming', fMin: 20, fMax: 7600, nMels: 16, preEmphasis: 0.97, meanNorm: true };

/** The smallest real data a sweep can train on: a few clips per class of three synth domains. */
export const tinyData = {
  sampleRate: 16000,
  clipSeconds: 0.5,
  datasets: { synth: { adapter: 'synth', options: { trainPerClass: 8, devPerClass: 4, evalPerClass: 4 } } },
  train: ['synth:d1', 'synth:d2'],
  evaluate: { known: ['synth:d1', 'synth:d2'], unknown: ['synth:d5'] },
};

export const tinyTraining = { epochs: 2, lr: 0.003, batchSize: 8, patience: 5 };

/** The two tiny experts (an LCNN and a one-stage ResNet) on the `mel` front end of tinySweep. */
export const tinyLcnn = { arch: 'lcnn', features: 'mel', width: 0.125, embeddingDim: 8 };
export const tinyResnet = { arch: 'resnet', features: 'mel', width: 0.125, depth: [1], embeddingDim: 8 };

/**
 * A sweep on the tiny front end and data, written to `<dir>/<name>.json`: `base` is the trial
 * template (data defaults to tinyData), `rest` the other sections (grid, include, seeds).
 */
export function tinySweep(dir: string, name: string, base: Record<string, unknown>, rest: Record<string, unknown> = {}): string {
  return writeSweep(dir, { name, features: { mel: tinyMel }, base: { data: tinyData, ...base }, seeds: [0], ...rest }, `${name}.json`);
}

/** MELE with every baseline and control the planner knows, tiny enough to train in seconds. */
export function everyKindSweep(dir: string): string {
  return tinySweep(
    dir,
    'every-kind',
    { kind: 'moe', localisation: 'mele', experts: [tinyLcnn], pretrain: tinyTraining, train: tinyTraining },
    {
      grid: { 'moe.freezeExperts': [false, true] },
      include: [{ kind: 'single' }, { kind: 'ensemble' }, { kind: 'joint' }, { kind: 'budget-single' }, { kind: 'gate-ablated' }],
    },
  );
}

/** MILE with two different experts, soft and top-1 gating, and pre-training on and off. */
export function tinyMileSweep(dir: string, name = 'tiny-mile'): string {
  return tinySweep(
    dir,
    name,
    { kind: 'moe', experts: [tinyLcnn, tinyResnet], pretrain: tinyTraining, train: tinyTraining },
    { grid: { routing: [{ mode: 'soft' }, { mode: 'topk', k: 1 }], 'pretrain.enabled': [true, false] } },
  );
}

/** Two different experts under soft and top-1 routing, no pre-training: the gate analysis of issue 16 on the smallest real data. */
export function tinyGatingSweep(dir: string, name = 'tiny-gating'): string {
  return tinySweep(
    dir,
    name,
    { kind: 'moe', experts: [tinyLcnn, tinyResnet], pretrain: { enabled: false }, train: tinyTraining },
    { grid: { routing: [{ mode: 'soft' }, { mode: 'topk', k: 1 }] } },
  );
}
