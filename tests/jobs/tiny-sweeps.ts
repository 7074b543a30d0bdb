import { writeSweep } from '../search/sweep-fixtures.js';

const mel = { kind: 'mel', nFft: 256, winLength: 256, hopLength: 128, window: 'hamming', fMin: 20, fMax: 7600, nMels: 16, preEmphasis: 0.97, meanNorm: true };

/** The smallest real data a sweep can train on: a few clips per class of three synth domains. */
export const tinyData = {
  sampleRate: 16000,
  clipSeconds: 0.5,
  datasets: { synth: { adapter: 'synth', options: { trainPerClass: 8, devPerClass: 4, evalPerClass: 4 } } },
  train: ['synth:d1', 'synth:d2'],
  evaluate: { known: ['synth:d1', 'synth:d2'], unknown: ['synth:d5'] },
};

const tinyTraining = { epochs: 2, lr: 0.003, batchSize: 8, patience: 5 };

/** MELE with every baseline and control the planner knows, tiny enough to train in seconds. */
export function everyKindSweep(dir: string): string {
  return writeSweep(dir, {
    name: 'every-kind',
    features: { mel },
    base: {
      kind: 'moe',
      localisation: 'mele',
      experts: [{ arch: 'lcnn', features: 'mel', width: 0.125, embeddingDim: 8 }],
      pretrain: tinyTraining,
      train: tinyTraining,
      data: tinyData,
    },
    grid: { 'moe.freezeExperts': [false, true] },
    include: [{ kind: 'single' }, { kind: 'ensemble' }, { kind: 'joint' }, { kind: 'budget-single' }, { kind: 'gate-ablated' }],
    seeds: [0],
  }, 'every-kind.json');
}

/** MILE with two different experts, soft and top-1 gating, and pre-training on and off. */
export function tinyMileSweep(dir: string, name = 'tiny-mile'): string {
  return writeSweep(dir, {
    name,
    features: { mel },
    base: {
      kind: 'moe',
      experts: [
        { arch: 'lcnn', features: 'mel', width: 0.125, embeddingDim: 8 },
        { arch: 'resnet', features: 'mel', width: 0.125, depth: [1], embeddingDim: 8 },
      ],
      pretrain: tinyTraining,
      train: tinyTraining,
      data: tinyData,
    },
    grid: { routing: [{ mode: 'soft' }, { mode: 'topk', k: 1 }], 'pretrain.enabled': [true, false] },
    seeds: [0],
  }, `${name}.json`);
}

/** Two different experts under soft and top-1 routing, no pre-training: the gate analysis of issue 16 on the smallest real data. */
export function tinyGatingSweep(dir: string, name = 'tiny-gating'): string {
  return writeSweep(dir, {
    name,
    features: { mel },
    base: {
      kind: 'moe',
      experts: [
        { arch: 'lcnn', features: 'mel', width: 0.125, embeddingDim: 8 },
        { arch: 'resnet', features: 'mel', width: 0.125, depth: [1], embeddingDim: 8 },
      ],
      pretrain: { enabled: false },
      train: tinyTraining,
      data: tinyData,
    },
    grid: { routing: [{ mode: 'soft' }, { mode: 'topk', k: 1 }] },
    seeds: [0],
  }, `${name}.json`);
}
