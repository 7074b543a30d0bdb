import * as tf from '@tensorflow/tfjs';
import { SeededInit } from '../nn/seeded-init.js';
import { modelVariables } from '../nn/variables.js';
import { UserError } from '../util/errors.js';
import type { GateConfig } from '../config/schema/moe.js';
import { type ResolvedGateConfig, resolveGateConfig } from '../config/gate-config.js';
import type { Gate, GateApplyOptions, GateOutput } from './gate.js';
import { GateParts } from './gate-parts.js';
import { mlpGateGraph } from './mlp-gate.js';
import { transformerGateGraph } from './transformer-gate.js';

export interface BuildGateOptions {
  numExperts: number;
  /** Enhanced input: each expert's embedding size, in expert order. */
  embeddingDims?: number[];
  /** Standard input: the item shape the gate reads ([bins, frames] or [samples]). */
  standardInputShape?: number[];
  /** Seeds every initialiser (and the dropout fallback outside a training step). */
  seed: number;
  /** Add noisy top-k's noise head. */
  noisy?: boolean;
  /** Model name and layer-name prefix (default "gate"); must differ from every expert's. */
  name?: string;
  /** JSON path of the gate config, for errors (default "gate"). */
  path?: string;
}

class LayersGate implements Gate {
  readonly variables;
  readonly trainable;

  constructor(
    readonly name: string,
    readonly config: ResolvedGateConfig,
    readonly numExperts: number,
    readonly noisy: boolean,
    readonly model: tf.LayersModel,
  ) {
    const { variables, trainable } = modelVariables(model);
    this.variables = variables;
    this.trainable = trainable;
  }

  apply(inputs: tf.Tensor[], options: GateApplyOptions): GateOutput {
    const expected = this.model.inputs.length;
    if (inputs.length !== expected) throw new Error(`gate ${this.name} takes ${expected} input(s), got ${inputs.length}`);
    const outputs = this.model.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs, { training: options.training });
    const list = Array.isArray(outputs) ? (outputs as tf.Tensor[]) : [outputs as tf.Tensor];
    return { logits: list[0] as tf.Tensor2D, noiseStd: this.noisy ? (list[1] as tf.Tensor2D) : null };
  }

  dispose(): void {
    this.model.dispose();
  }
}

/**
 * Build a gating network from its trial config. Its weights are a pure function of `seed`
 * (two builds with one seed are identical).
 */
export function buildGate(config: GateConfig | ResolvedGateConfig, options: BuildGateOptions): Gate {
  const path = options.path ?? 'gate';
  const resolved = resolveGateConfig(config, path);
  const { numExperts } = options;
  if (!Number.isInteger(numExperts) || numExperts < 1) throw new UserError(`${path}: a gate needs at least one expert, got ${numExperts}`);
  const name = options.name ?? 'gate';
  const noisy = options.noisy ?? false;
  const parts = new GateParts(name, new SeededInit(options.seed, name));
  let inputs: tf.SymbolicTensor[];
  if (resolved.input !== 'standard') {
    const dims = options.embeddingDims;
    if (dims === undefined || dims.length !== numExperts) throw new Error(`an ${resolved.input} gate needs one embedding size per expert (${numExperts}), got ${JSON.stringify(dims)}`);
    inputs = dims.map((dim, i) => tf.input({ shape: [dim], name: `${name}_embedding${i}` }));
  } else {
    const shape = options.standardInputShape;
    if (shape === undefined || shape.length === 0 || shape.some((dim) => !Number.isInteger(dim) || dim < 1)) {
      throw new Error(`a standard gate needs the item shape of its input, got ${JSON.stringify(shape)}`);
    }
    inputs = [tf.input({ shape, name: `${name}_input` })];
  }
  const common = { enhanced: resolved.input === 'enhanced', dim: resolved.dim, dropout: resolved.dropout, numExperts, noisy };
  const outputs =
    resolved.type === 'mlp'
      ? mlpGateGraph(parts, inputs, { ...common, concat: resolved.input === 'concat', hidden: resolved.hidden })
      : transformerGateGraph(parts, inputs, { ...common, layers: resolved.layers, heads: resolved.heads, feedForward: resolved.feedForward });
  const model = tf.model({ name, inputs, outputs });
  return new LayersGate(name, resolved, numExperts, noisy, model);
}
