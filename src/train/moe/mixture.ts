import * as tf from '@tensorflow/tfjs';
import type { BuiltExpert } from '../../experts/registry.js';
import { balanceLoss } from '../../gates/balance.js';
import { buildGate } from '../../gates/build-gate.js';
import type { ResolvedGateConfig } from '../../config/gate-config.js';
import { type ResolvedRoutingConfig, resolveRoutingConfig } from '../../config/routing.js';
import type { Gate, GateOutput } from '../../gates/gate.js';
import { type Routed, route } from '../../gates/routing.js';
import type { GateConfig, MixtureConfig, RoutingConfig } from '../../config/schema/moe.js';
import { deriveSeed } from '../../util/rng.js';
import { softmaxCrossEntropy } from '../loss.js';
import { layerStepSeed } from '../../nn/step-seed.js';
import { type NamedVariable, modelVariables } from '../../nn/variables.js';
import { type ResolvedMixtureConfig, resolveMixtureConfig } from '../../config/mixture-config.js';
import type { MoeBatch } from './data.js';
import { type MixedOutput, bonafideScoresOf, mixExperts, smoothedNll } from './mix.js';

/** One expert of a mixture and the batch input (index into `inputs`) it reads. */
export interface MixtureMember {
  expert: BuiltExpert;
  input: number;
}

export interface MixtureOptions {
  /** In order; a standard gate reads the first expert's input. Expert model names must be unique. */
  experts: MixtureMember[];
  gate?: GateConfig;
  routing?: RoutingConfig;
  moe?: MixtureConfig;
  /** The trial's train.labelSmoothing, used by every loss term. */
  labelSmoothing?: number;
  /** Seeds the gate's initialisation and noisy top-k's noise. */
  seed: number;
  /** Gate model name (default "gate"). */
  gateName?: string;
}

/** A batch for the frozen-expert path: the experts' cached outputs instead of their inputs. */
export interface CachedBatch {
  /** One [batch, embeddingDim_i] per expert. */
  embeddings: tf.Tensor[];
  /** One [batch, 2] per expert. */
  logits: tf.Tensor[];
  /** A standard gate's input rows [batch, ...shape]; null for an enhanced gate. */
  gateInput: tf.Tensor | null;
  labels: tf.Tensor1D;
}

export interface MixtureForward extends MixedOutput {
  gateLogits: tf.Tensor2D;
  routed: Routed;
  /** One [batch, 2] per expert; zero rows where a skipped expert was not run. */
  expertLogits: tf.Tensor[];
  /** One [batch, embeddingDim_i] per expert; zero rows likewise. */
  embeddings: tf.Tensor[];
  /** Items each expert was actually run on (fewer than the batch when hard routing skipped it). */
  evaluatedRows: number[];
}

export interface MixtureLossTerms {
  total: tf.Scalar;
  /** The mixture's NLL (label-smoothed). */
  mixture: tf.Scalar;
  /** Mean of the experts' own cross-entropies (0 under `shared`). */
  experts: tf.Scalar;
  /** The balancing loss, unweighted (0 with balance none). */
  balance: tf.Scalar;
}

export interface ForwardOptions {
  training: boolean;
}

/** Per-item results of scoring a batch in inference mode. */
export interface MixtureBatchScores {
  /** log p(bona fide) - log p(spoof) of the mixture, per item. */
  scores: Float32Array;
  /** Gate weights, row-major [items, experts]. */
  weights: Float32Array;
  /** 1 where an expert contributed to an item, row-major [items, experts]. */
  selected: Uint8Array;
}

/** tf.tidy for a function returning an object of tensors (tidy keeps every tensor nested in it; its types only accept index signatures). */
function tidyObject<T>(run: () => T): T {
  return tf.tidy(() => run() as unknown as tf.TensorContainer) as unknown as T;
}

function sameShape(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}

/**
 * N experts and a gate, trained and evaluated as one model.
 *
 * Forward: the gate reads the experts' embeddings (enhanced) or the first expert's input
 * (standard) and routes (soft / top-k / noisy top-k); the experts' outputs are mixed as
 * probabilities or logits. With a standard gate, hard routing and the shared loss, an
 * expert is run only on the items routed to it (not at all when none are): the gate needs
 * no expert output, and no loss term needs the others. An enhanced gate needs every
 * embedding first, and the separate loss every expert's logits, so there all experts run.
 * Frozen experts always run in inference mode (batch norm on its moving statistics, no
 * dropout) so that nothing of theirs changes and their outputs can be cached.
 */
export class Mixture {
  readonly members: MixtureMember[];
  readonly gate: Gate;
  readonly gateConfig: ResolvedGateConfig;
  readonly routing: ResolvedRoutingConfig;
  readonly config: ResolvedMixtureConfig;
  readonly labelSmoothing: number;
  /** Index into the batch inputs of what a standard gate reads (the first expert's input). */
  readonly gateInputIndex: number;
  /** Every variable (experts', then the gate's), named for checkpoints. */
  readonly variables: NamedVariable[];
  private readonly expertTrainable: tf.Variable[];
  private readonly noiseSeed: number;
  private readonly inputShapes: Map<number, number[]>;

  constructor(options: MixtureOptions) {
    const { experts } = options;
    if (experts.length === 0) throw new Error('a mixture needs at least one expert');
    this.members = experts;
    this.config = resolveMixtureConfig(options.moe);
    this.routing = resolveRoutingConfig(options.routing, experts.length);
    this.labelSmoothing = options.labelSmoothing ?? 0;
    if (!(this.labelSmoothing >= 0 && this.labelSmoothing < 1)) throw new Error(`label smoothing must be in [0, 1), got ${this.labelSmoothing}`);
    this.inputShapes = new Map();
    experts.forEach(({ expert, input }, i) => {
      if (!Number.isInteger(input) || input < 0) throw new Error(`expert ${i} (${expert.model.name}) reads input ${input}: expected an index >= 0`);
      const shape = (expert.model.inputs[0]?.shape ?? []).slice(1) as number[];
      const known = this.inputShapes.get(input);
      if (known !== undefined && !sameShape(known, shape)) {
        throw new Error(`experts reading input ${input} expect different item shapes ([${known.join(', ')}] and [${shape.join(', ')}])`);
      }
      this.inputShapes.set(input, shape);
    });
    this.gateInputIndex = experts[0]?.input ?? 0;
    const gateName = options.gateName ?? 'gate';
    this.gate = buildGate(options.gate ?? {}, {
      numExperts: experts.length,
      embeddingDims: experts.map(({ expert }) => expert.embeddingDim),
      standardInputShape: this.inputShapes.get(this.gateInputIndex),
      seed: deriveSeed(options.seed, 'gate'),
      noisy: this.routing.mode === 'noisy-topk',
      name: gateName,
    });
    this.gateConfig = this.gate.config;
    this.noiseSeed = deriveSeed(options.seed, 'gate', 'noise');
    const expertVariables = modelVariables(...experts.map(({ expert }) => expert.model));
    this.expertTrainable = expertVariables.trainable;
    this.variables = [...expertVariables.variables, ...this.gate.variables];
    const names = new Set<string>();
    for (const { name } of this.variables) {
      if (names.has(name)) throw new Error(`two mixture variables are both named "${name}": give every expert (and the gate) its own name`);
      names.add(name);
    }
  }

  get numExperts(): number {
    return this.members.length;
  }

  /** What the optimizer updates: the gate, plus the experts unless they are frozen. */
  get trainable(): tf.Variable[] {
    return this.config.freezeExperts ? [...this.gate.trainable] : [...this.expertTrainable, ...this.gate.trainable];
  }

  /** Whether hard routing lets unselected experts be skipped (see the class comment). */
  get skipsUnselectedExperts(): boolean {
    return this.gateConfig.input === 'standard' && this.routing.mode !== 'soft' && this.routing.k < this.numExperts && this.config.loss === 'shared';
  }

  private checkInputs(inputs: tf.Tensor[]): void {
    for (const [index, shape] of this.inputShapes) {
      const tensor = inputs[index];
      if (tensor === undefined) throw new Error(`the mixture's experts read input ${index} but the batch has ${inputs.length} input(s)`);
      if (!sameShape(tensor.shape.slice(1), shape)) throw new Error(`input ${index} has items of [${tensor.shape.slice(1).join(', ')}], its experts expect [${shape.join(', ')}]`);
    }
  }

  private gateAndRoute(gateInputs: tf.Tensor[], training: boolean): { gate: GateOutput; routed: Routed } {
    const gate = this.gate.apply(gateInputs, { training });
    const noisy = this.routing.mode === 'noisy-topk' && training;
    // One seed per training step (and gate), so the noise is reproducible and differs between steps.
    const noiseSeed = noisy ? layerStepSeed(`${this.gate.name}_noise`, this.noiseSeed) : undefined;
    const routed = route(gate.logits, this.routing, { training, noiseStd: gate.noiseStd, noiseSeed });
    return { gate, routed };
  }

  private runExpert(member: MixtureMember, input: tf.Tensor, training: boolean): [tf.Tensor, tf.Tensor] {
    const outputs = member.expert.model.apply(input, { training: training && !this.config.freezeExperts }) as tf.Tensor[];
    return [outputs[0] as tf.Tensor, outputs[outputs.length - 1] as tf.Tensor];
  }

  /**
   * Run an expert on some rows of the batch only and place its outputs back into batch-sized
   * tensors (zeros elsewhere) with a 0/1 placement matrix: matMul, whose gradient every
   * backend has. The rows are picked from the input with gather, which is safe here: the
   * input is data, so backprop never asks for gather's gradient (which wasm lacks).
   */
  private runExpertOnRows(member: MixtureMember, input: tf.Tensor, rows: number[], training: boolean): [tf.Tensor, tf.Tensor] {
    const batch = input.shape[0] as number;
    if (rows.length === batch) return this.runExpert(member, input, training);
    if (rows.length === 0) return [tf.zeros([batch, member.expert.embeddingDim]), tf.zeros([batch, 2])];
    const [embedding, logits] = this.runExpert(member, tf.gather(input, tf.tensor1d(rows, 'int32')), training);
    const placement = tf.buffer([batch, rows.length], 'float32');
    rows.forEach((row, j) => placement.set(1, row, j));
    const place = placement.toTensor() as tf.Tensor2D;
    return [tf.matMul(place, embedding as tf.Tensor2D), tf.matMul(place, logits as tf.Tensor2D)];
  }

  /** The mixture on one batch. The caller disposes the result (or runs it inside a tidy). */
  forward(inputs: tf.Tensor[], options: ForwardOptions): MixtureForward {
    this.checkInputs(inputs);
    const { training } = options;
    return tidyObject(() => {
      const batch = inputs[0]?.shape[0] as number;
      const embeddings: tf.Tensor[] = [];
      const expertLogits: tf.Tensor[] = [];
      const evaluatedRows: number[] = [];
      let gated: { gate: GateOutput; routed: Routed };
      if (this.gateConfig.input === 'standard') {
        gated = this.gateAndRoute([inputs[this.gateInputIndex] as tf.Tensor], training);
        const skip = this.skipsUnselectedExperts;
        // Reading the selection to the CPU is what lets unselected experts be skipped.
        const selected = skip ? gated.routed.selected.dataSync() : null;
        this.members.forEach((member, i) => {
          const input = inputs[member.input] as tf.Tensor;
          let rows: number[] | null = null;
          if (selected !== null) {
            rows = [];
            for (let row = 0; row < batch; row++) if (selected[row * this.numExperts + i] === 1) rows.push(row);
          }
          const [embedding, logits] = rows === null ? this.runExpert(member, input, training) : this.runExpertOnRows(member, input, rows, training);
          embeddings.push(embedding);
          expertLogits.push(logits);
          evaluatedRows.push(rows === null ? batch : rows.length);
        });
      } else {
        for (const member of this.members) {
          const [embedding, logits] = this.runExpert(member, inputs[member.input] as tf.Tensor, training);
          embeddings.push(embedding);
          expertLogits.push(logits);
          evaluatedRows.push(batch);
        }
        gated = this.gateAndRoute(embeddings, training);
      }
      const mixed = mixExperts(expertLogits, gated.routed, this.config.mix);
      return { ...mixed, gateLogits: gated.gate.logits, routed: gated.routed, expertLogits, embeddings, evaluatedRows };
    });
  }

  /**
   * The mixture on cached expert outputs (frozen experts): the same gate, routing and mixing
   * as forward, without running an expert.
   */
  forwardCached(batch: CachedBatch, options: ForwardOptions): MixtureForward {
    if (!this.config.freezeExperts) throw new Error('cached expert outputs stand for frozen experts: set moe.freezeExperts');
    if (batch.logits.length !== this.numExperts || batch.embeddings.length !== this.numExperts) {
      throw new Error(`the cached batch holds outputs of ${batch.logits.length} experts, the mixture has ${this.numExperts}`);
    }
    return tidyObject(() => {
      let gateInputs: tf.Tensor[];
      if (this.gateConfig.input === 'standard') {
        if (batch.gateInput === null) throw new Error('a standard gate needs the cached batch\'s gate input');
        gateInputs = [batch.gateInput];
      } else {
        gateInputs = batch.embeddings;
      }
      const gated = this.gateAndRoute(gateInputs, options.training);
      const mixed = mixExperts(batch.logits, gated.routed, this.config.mix);
      const rows = batch.labels.shape[0];
      return {
        ...mixed,
        gateLogits: gated.gate.logits,
        routed: gated.routed,
        expertLogits: batch.logits.map((t) => tf.clone(t)),
        embeddings: batch.embeddings.map((t) => tf.clone(t)),
        evaluatedRows: batch.logits.map(() => rows),
      };
    });
  }

  /** The loss terms of a forward pass against int32 labels (1 = bona fide). */
  lossTerms(forward: MixtureForward, labels: tf.Tensor): MixtureLossTerms {
    return tf.tidy(() => {
      const mixture = smoothedNll(forward.logProbs, labels, this.labelSmoothing);
      const experts =
        this.config.loss === 'separate'
          ? (tf.mean(tf.stack(forward.expertLogits.map((logits) => softmaxCrossEntropy(logits, labels, this.labelSmoothing)))) as tf.Scalar)
          : tf.scalar(0);
      const balance = this.routing.balance === 'none' ? tf.scalar(0) : balanceLoss(this.routing.balance, forward.routed, this.routing.mode);
      let total = mixture;
      if (this.config.loss === 'separate') total = tf.add(total, tf.mul(experts, this.config.expertLossWeight));
      if (this.routing.balance !== 'none') total = tf.add(total, tf.mul(balance, this.routing.balanceWeight));
      return { total, mixture, experts, balance };
    });
  }

  /**
   * The training loss of a batch: mixture NLL (label-smoothed) + expertLossWeight x mean
   * expert cross-entropy under `separate` + balanceWeight x balancing loss. Shaped for
   * trainLoop's lossFn.
   */
  readonly loss = (batch: MoeBatch, context: Partial<ForwardOptions> = {}): tf.Scalar =>
    tf.tidy(() => this.lossTerms(this.forward(batch.inputs, { training: context.training ?? true }), batch.labels).total);

  /** The same loss on cached expert outputs (frozen experts). */
  readonly lossCached = (batch: CachedBatch, context: Partial<ForwardOptions> = {}): tf.Scalar =>
    tf.tidy(() => this.lossTerms(this.forwardCached(batch, { training: context.training ?? true }), batch.labels).total);

  /** Scores, gate weights and selections of a batch, in inference mode. */
  scores(inputs: tf.Tensor[]): MixtureBatchScores {
    const forward = this.forward(inputs, { training: false });
    try {
      return readScores(forward);
    } finally {
      disposeForward(forward);
    }
  }

  /** Frees the gate and the experts' models. */
  dispose(): void {
    this.gate.dispose();
    for (const { expert } of this.members) expert.model.dispose();
  }
}

/** Copy a forward pass's scores, weights and selections to the CPU. */
export function readScores(forward: MixtureForward): MixtureBatchScores {
  const scores = tf.tidy(() => bonafideScoresOf(forward.logProbs));
  try {
    const selected = forward.routed.selected.dataSync();
    return { scores: scores.dataSync() as Float32Array, weights: forward.routed.weights.dataSync() as Float32Array, selected: Uint8Array.from(selected, (v) => (v > 0.5 ? 1 : 0)) };
  } finally {
    scores.dispose();
  }
}

export function disposeForward(forward: MixtureForward): void {
  tf.dispose([forward.logProbs, forward.mixed, forward.gateLogits, forward.routed.weights, forward.routed.logWeights, forward.routed.selected, forward.routed.probs, ...(forward.routed.logRest ? [forward.routed.logRest] : []), ...forward.expertLogits, ...forward.embeddings]);
}
