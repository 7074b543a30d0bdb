import * as tf from '@tensorflow/tfjs';
import { UserError } from '../util/errors.js';
import { contentHash } from '../util/hash.js';
import { deriveSeed, Rng } from '../util/rng.js';
import { AdamW } from './adamw.js';
import { type NamedArray, loadCheckpoint, saveCheckpoint } from '../nn/checkpoint.js';
import { type ScheduleKind, learningRateAt } from './schedule.js';
import { withStepSeed } from '../nn/step-seed.js';
import { type NamedVariable, assignArrays, readArrays } from '../nn/variables.js';

/** What the loop itself needs from a trial config (the loss's own settings live in lossFn). */
export interface LoopHyperParams {
  /** Maximum epochs. */
  epochs: number;
  lr: number;
  /** AdamW's decoupled weight decay. */
  weightDecay: number;
  schedule: ScheduleKind;
  /** Cosine floor. */
  etaMin: number;
  /** Cosine half-period in epochs; default `epochs`. */
  tMax?: number;
  /** Stop after this many epochs without improvement of `monitor`; null: never stop early. */
  patience: number | null;
  monitor: 'loss' | 'eer';
  /** An improvement must beat the best by more than this (default 0). */
  minDelta?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Put the best epoch's weights back at the end (default true). */
  restoreBest?: boolean;
  /** An epoch that ties the best on `monitor`: the earlier stays best (default), or the lower validation loss wins. */
  tieBreak?: 'first' | 'loss';
}

/** Validation figures of one epoch: `loss` always, `eer` when monitored, anything else kept in the history. */
export interface ValidationResult {
  loss: number;
  eer?: number;
  [metric: string]: number | undefined;
}

export interface EpochRecord {
  /** 0-based. */
  epoch: number;
  lr: number;
  steps: number;
  trainLoss: number;
  validation: ValidationResult;
  improved: boolean;
  seconds: number;
}

export interface StepContext {
  epoch: number;
  /** Step within the epoch. */
  step: number;
  training: true;
}

export interface TrainLoopOptions<B> {
  /** Every variable that makes up the trained state (trainable or not, e.g. batch-norm statistics): checkpointed by name. */
  variables: NamedVariable[];
  /** The variables the optimizer updates (leave frozen ones out). */
  trainable: tf.Variable[];
  /** The loss of one batch in training mode; runs inside tf.variableGrads (no need to tidy). */
  lossFn: (batch: B, context: StepContext) => tf.Scalar;
  /** The batches of one epoch, drawing any randomness from `rng` (its state is checkpointed). */
  batches: (epoch: number, rng: Rng) => Iterable<B>;
  /** Validation after each epoch, in inference mode. */
  validate: (epoch: number) => ValidationResult | Promise<ValidationResult>;
  /** Frees a batch after its step; default: dispose the tensors among its top-level values. */
  disposeBatch?: (batch: B) => void;
  hp: LoopHyperParams;
  /** Seeds the batch rng and the per-step seeds of dropout and other stochastic layers. */
  seed: number;
  checkpoint?: {
    dir: string;
    /** Continue from the latest checkpoint in `dir` when there is one. */
    resume: boolean;
    /** Identifies the job; default: a hash of hp, seed and the variables' names and shapes. */
    fingerprint?: string;
  };
  onEpoch?: (record: EpochRecord) => void | Promise<void>;
  /** After every step (awaited: a worker can post a heartbeat or wait here). */
  onStep?: (progress: { epoch: number; step: number; loss: number }) => void | Promise<void>;
  /** Checked between steps; an aborted run throws TrainingAborted and keeps its last checkpoint. */
  signal?: AbortSignal;
}

export interface TrainResult {
  /** Epochs completed, including those before a resume. */
  epochs: number;
  steps: number;
  bestEpoch: number;
  bestMetric: number;
  stoppedEarly: boolean;
  history: EpochRecord[];
  /** Epochs already done in the checkpoint this run continued from, or null. */
  resumedFromEpoch: number | null;
}

export class TrainingAborted extends Error {
  constructor(readonly epoch: number) {
    super(`training aborted during epoch ${epoch}; the last checkpoint holds the state after epoch ${epoch - 1}`);
    this.name = 'TrainingAborted';
  }
}

interface LoopState {
  epoch: number;
  step: number;
  bestMetric: number;
  bestEpoch: number;
  sinceImprovement: number;
  stoppedEarly: boolean;
  history: EpochRecord[];
  best: NamedArray[] | null;
}

/** The best epoch's validation loss, from the history (checkpointed with it, so resumes agree). */
function bestLoss(state: LoopState): number {
  return state.history.find((record) => record.epoch === state.bestEpoch)?.validation.loss ?? Number.POSITIVE_INFINITY;
}

function disposeTopLevelTensors(batch: unknown): void {
  if (batch instanceof tf.Tensor) {
    batch.dispose();
    return;
  }
  // Shallow on purpose: tf.dispose walks typed arrays element by element.
  if (typeof batch !== 'object' || batch === null) return;
  for (const value of Object.values(batch)) {
    if (value instanceof tf.Tensor) value.dispose();
    else if (Array.isArray(value)) for (const item of value) if (item instanceof tf.Tensor) item.dispose();
  }
}

function checkHyperParams(hp: LoopHyperParams): void {
  const bad = (field: string, expected: string, got: unknown): never => {
    throw new UserError(`training.${field}: expected ${expected}, got ${JSON.stringify(got)}`);
  };
  if (!Number.isInteger(hp.epochs) || hp.epochs < 1) bad('epochs', 'an integer >= 1', hp.epochs);
  if (!(hp.lr > 0)) bad('lr', 'a positive number', hp.lr);
  if (!(hp.weightDecay >= 0)) bad('weightDecay', 'a number >= 0', hp.weightDecay);
  if (hp.schedule !== 'cosine' && hp.schedule !== 'constant') bad('schedule', '"cosine" or "constant"', hp.schedule);
  if (!(hp.etaMin >= 0 && hp.etaMin <= hp.lr)) bad('etaMin', 'a number in [0, lr]', hp.etaMin);
  if (hp.tMax !== undefined && !(hp.tMax > 0)) bad('tMax', 'a positive number of epochs', hp.tMax);
  if (hp.patience !== null && !(Number.isInteger(hp.patience) && hp.patience >= 1)) bad('patience', 'an integer >= 1 or null', hp.patience);
  if (hp.monitor !== 'loss' && hp.monitor !== 'eer') bad('monitor', '"loss" or "eer"', hp.monitor);
}

function defaultFingerprint<B>(options: TrainLoopOptions<B>): string {
  return contentHash({
    hp: options.hp,
    seed: options.seed,
    variables: options.variables.map(({ name, variable }) => [name, variable.shape]),
    trainable: options.trainable.map((variable) => variable.shape),
  });
}

/**
 * The generic training engine: AdamW with a per-epoch schedule over batches the caller
 * supplies, validation and early stopping after every epoch, an atomic checkpoint after
 * every epoch, and exact resumption (weights, optimizer moments, rng state, counters and
 * best weights all come back, so a resumed run ends with the same weights as an
 * uninterrupted one). The caller owns its models; the loop leaves no tensor behind.
 */
export async function trainLoop<B>(options: TrainLoopOptions<B>): Promise<TrainResult> {
  const { hp, variables, trainable } = options;
  checkHyperParams(hp);
  const names = new Set<string>();
  for (const { name } of variables) {
    if (names.has(name)) throw new Error(`two variables are both named "${name}"; checkpoints need unique names`);
    names.add(name);
  }
  const trainableNames = new Map(variables.map(({ name, variable }) => [variable, name]));
  for (const variable of trainable) {
    if (!trainableNames.has(variable)) throw new Error(`trainable variable ${variable.name} is not among the checkpointed variables`);
  }
  const fingerprint = options.checkpoint?.fingerprint ?? defaultFingerprint(options);
  const disposeBatch = options.disposeBatch ?? disposeTopLevelTensors;
  const minDelta = hp.minDelta ?? 0;
  const schedule = { kind: hp.schedule, lr: hp.lr, etaMin: hp.etaMin, tMax: hp.tMax ?? hp.epochs };

  const optimizer = new AdamW(trainable, { beta1: hp.beta1, beta2: hp.beta2, epsilon: hp.epsilon, weightDecay: hp.weightDecay });
  let rng = new Rng(options.seed);
  const state: LoopState = {
    epoch: 0,
    step: 0,
    bestMetric: Number.POSITIVE_INFINITY,
    bestEpoch: -1,
    sinceImprovement: 0,
    stoppedEarly: false,
    history: [],
    best: null,
  };
  let resumedFromEpoch: number | null = null;

  try {
    if (options.checkpoint?.resume) {
      const saved = await loadCheckpoint(options.checkpoint.dir);
      if (saved !== null) {
        if (saved.fingerprint !== fingerprint) {
          throw new UserError(
            `checkpoint ${saved.dir} belongs to another job configuration (fingerprint ${saved.fingerprint}, this job ${fingerprint}). Delete it or point the job at its own directory.`,
          );
        }
        const extra = saved.extra as unknown as SavedExtra;
        assignArrays(variables, saved.arrays.filter((array) => array.group === 'weights'), saved.dir);
        const moments = (group: string): Float32Array[] =>
          trainable.map((variable) => {
            const name = trainableNames.get(variable) as string;
            const found = saved.arrays.find((array) => array.group === group && array.name === name);
            if (found === undefined) throw new UserError(`checkpoint ${saved.dir} has no ${group} for ${name}; delete it to restart the job`);
            return found.values;
          });
        optimizer.setState({ step: extra.optimizerStep, m: moments('adam.m'), v: moments('adam.v') });
        rng = new Rng(extra.rng);
        const best = saved.arrays.filter((array) => array.group === 'best');
        Object.assign(state, {
          epoch: saved.epoch,
          step: saved.step,
          bestMetric: extra.bestMetric ?? Number.POSITIVE_INFINITY,
          bestEpoch: extra.bestEpoch,
          sinceImprovement: extra.sinceImprovement,
          stoppedEarly: extra.stoppedEarly,
          history: extra.history,
          best: best.length > 0 ? best : null,
        });
        resumedFromEpoch = saved.epoch;
      }
    }

    while (state.epoch < hp.epochs && !state.stoppedEarly) {
      const epoch = state.epoch;
      const started = performance.now();
      const lr = learningRateAt(epoch, schedule);
      optimizer.learningRate = lr;
      let lossSum = 0;
      let steps = 0;
      for (const batch of options.batches(epoch, rng)) {
        if (options.signal?.aborted) {
          disposeBatch(batch);
          throw new TrainingAborted(epoch);
        }
        const context: StepContext = { epoch, step: steps, training: true };
        let loss: number;
        try {
          loss = withStepSeed(deriveSeed(options.seed, 'step', epoch, steps), () => {
            const { value, grads } = tf.variableGrads(() => options.lossFn(batch, context), trainable);
            try {
              optimizer.applyGradients(grads);
              return value.dataSync()[0] ?? Number.NaN;
            } finally {
              value.dispose();
              tf.dispose(Object.values(grads));
            }
          });
        } finally {
          disposeBatch(batch);
        }
        if (!Number.isFinite(loss)) {
          throw new UserError(`training diverged: the loss is ${loss} at epoch ${epoch}, step ${steps}. Lower training.lr or check the features for NaN/inf.`);
        }
        lossSum += loss;
        steps++;
        state.step++;
        await options.onStep?.({ epoch, step: steps, loss });
        // Let the worker thread see abort signals and post progress between steps.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (steps === 0) throw new Error(`epoch ${epoch} produced no batches`);

      const validation = await options.validate(epoch);
      const metric = hp.monitor === 'eer' ? validation.eer : validation.loss;
      if (metric === undefined || Number.isNaN(metric)) throw new Error(`validation returned no ${hp.monitor} to monitor`);
      const improved = metric < state.bestMetric - minDelta || (hp.tieBreak === 'loss' && metric === state.bestMetric && validation.loss < bestLoss(state));
      if (improved) {
        state.bestMetric = metric;
        state.bestEpoch = epoch;
        state.sinceImprovement = 0;
        state.best = readArrays(variables, 'best');
      } else {
        state.sinceImprovement++;
      }
      const record: EpochRecord = { epoch, lr, steps, trainLoss: lossSum / steps, validation, improved, seconds: (performance.now() - started) / 1000 };
      state.history.push(record);
      state.epoch++;
      if (hp.patience !== null && state.sinceImprovement >= hp.patience) state.stoppedEarly = true;

      if (options.checkpoint !== undefined) {
        const arrays: NamedArray[] = [...readArrays(variables, 'weights'), ...(state.best ?? [])];
        const optimizerState = optimizer.getState();
        trainable.forEach((variable, i) => {
          const name = trainableNames.get(variable) as string;
          arrays.push({ group: 'adam.m', name, shape: variable.shape, values: optimizerState.m[i] as Float32Array });
          arrays.push({ group: 'adam.v', name, shape: variable.shape, values: optimizerState.v[i] as Float32Array });
        });
        const extra: SavedExtra = {
          rng: rng.state,
          optimizerStep: optimizer.step,
          bestMetric: Number.isFinite(state.bestMetric) ? state.bestMetric : null,
          bestEpoch: state.bestEpoch,
          sinceImprovement: state.sinceImprovement,
          stoppedEarly: state.stoppedEarly,
          history: state.history,
        };
        await saveCheckpoint(options.checkpoint.dir, { fingerprint, epoch: state.epoch, step: state.step, extra: extra as unknown as Record<string, unknown> }, arrays);
      }
      await options.onEpoch?.(record);
    }

    if ((hp.restoreBest ?? true) && state.best !== null) assignArrays(variables, state.best, 'the best epoch');
    return {
      epochs: state.epoch,
      steps: state.step,
      bestEpoch: state.bestEpoch,
      bestMetric: state.bestMetric,
      stoppedEarly: state.stoppedEarly,
      history: state.history,
      resumedFromEpoch,
    };
  } finally {
    optimizer.dispose();
  }
}

interface SavedExtra {
  rng: Rng['state'];
  optimizerStep: number;
  bestMetric: number | null;
  bestEpoch: number;
  sinceImprovement: number;
  stoppedEarly: boolean;
  history: EpochRecord[];
}
