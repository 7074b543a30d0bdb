import type { BatchHyperParams } from '../batches.js';
import { epochBatchOptions } from '../batches.js';
import { centreCrop, croppedMultiBatches } from '../draw-crops.js';
import { type LoopHyperParams, type TrainLoopOptions, type TrainResult, trainLoop } from '../train-loop.js';
import { balancedMultiBatches } from './batches.js';
import { type ExpertOutputCache, balancedCachedBatches, disposeCachedBatch, evaluateCachedMixture } from './cache.js';
import type { InputArray, MoeBatch, MultiInputData } from './data.js';
import { recalibrateForValidation } from '../batch-norm-recalibration.js';
import { deriveSeed } from '../../util/rng.js';
import { evaluateMixture } from './evaluate-mixture.js';
import type { CachedBatch, Mixture } from './mixture.js';

/** The mixture stage's hyper-parameters: the loop's plus batching (label smoothing lives in the Mixture). */
export interface MixtureHyperParams extends LoopHyperParams, BatchHyperParams {
  /** Batch-norm statistics for validation: recalibrated on the training data (default) or the running ones. */
  validationNorm?: 'recalibrate' | 'running';
  /** Items per forward pass in validation (default 64). */
  evalBatchSize?: number;
}

/** What both trainers pass through to trainLoop unchanged. */
type Passthrough<B> = Pick<TrainLoopOptions<B>, 'checkpoint' | 'onEpoch' | 'onStep' | 'signal'>;

export interface TrainMixtureOptions extends Passthrough<MoeBatch> {
  mixture: Mixture;
  train: MultiInputData;
  /** The training data of one epoch when it changes between epochs (augmentation); same items and order as `train`. */
  trainForEpoch?: (epoch: number) => MultiInputData;
  validation: MultiInputData;
  hp: MixtureHyperParams;
  /** Seeds the batches and the per-step seeds (dropout, gate noise). */
  seed: number;
  /** `data.cropPoolSeconds`: each input's model length; every draw is cut to it afresh (draw-crops.ts). */
  cropTo?: number[];
}

export interface TrainGateOnCacheOptions extends Passthrough<CachedBatch> {
  mixture: Mixture;
  train: ExpertOutputCache;
  validation: ExpertOutputCache;
  hp: MixtureHyperParams;
  seed: number;
}

function passthrough<B>(options: Passthrough<B>): Passthrough<B> {
  const out: Passthrough<B> = {};
  if (options.checkpoint !== undefined) out.checkpoint = options.checkpoint;
  if (options.onEpoch !== undefined) out.onEpoch = options.onEpoch;
  if (options.onStep !== undefined) out.onStep = options.onStep;
  if (options.signal !== undefined) out.signal = options.signal;
  return out;
}

/**
 * Train a mixture end to end (gate and experts, or the gate alone over running experts when
 * they are frozen) with class-balanced multi-input batches; validation reports the mixture's
 * loss, EER and AUC. Every variable is checkpointed; the optimizer updates mixture.trainable.
 */
export async function trainMixture(options: TrainMixtureOptions): Promise<TrainResult> {
  const { mixture, hp, cropTo } = options;
  // Recalibration runs on the items at the models' lengths: their centre windows, cut once.
  let recalibrationInputs: InputArray[] | undefined;
  return trainLoop<MoeBatch>({
    variables: mixture.variables,
    trainable: mixture.trainable,
    hp,
    seed: options.seed,
    lossFn: (batch) => mixture.loss(batch, { training: true }),
    batches: (epoch, rng) => {
      const data = options.trainForEpoch?.(epoch) ?? options.train;
      const batchOptions = epochBatchOptions(hp, options.seed, epoch);
      return cropTo === undefined ? balancedMultiBatches(data, rng, batchOptions) : croppedMultiBatches(data, rng, batchOptions, options.seed, epoch, cropTo);
    },
    validate: (epoch) => {
      // The experts' batch-norm statistics, recalibrated on the training data as in
      // pre-training (frozen experts keep theirs; the gate is small and keeps its own).
      if (!mixture.config.freezeExperts) {
        recalibrationInputs ??= cropTo === undefined ? options.train.inputs : options.train.inputs.map((input, i) => centreCrop(input, cropTo[i] as number));
        const inputs = recalibrationInputs;
        mixture.members.forEach(({ expert, input }, index) =>
          recalibrateForValidation(expert.model, inputs[input] as InputArray, hp, deriveSeed(options.seed, 'batch-norm', epoch, index)),
        );
      }
      const { loss, eer, auc } = evaluateMixture(mixture, options.validation, { batchSize: hp.evalBatchSize });
      return { loss, eer, auc };
    },
    ...passthrough(options),
  });
}

/**
 * Train the gate of a frozen-expert mixture on cached expert outputs (cacheExpertOutputs
 * for each split): the same batches, loss, dropout and gate noise as trainMixture with
 * frozen experts, without running an expert. Only the gate's variables are checkpointed.
 */
export async function trainGateOnCache(options: TrainGateOnCacheOptions): Promise<TrainResult> {
  const { mixture, hp } = options;
  if (!mixture.config.freezeExperts) throw new Error('training the gate on cached expert outputs needs frozen experts (moe.freezeExperts)');
  return trainLoop<CachedBatch>({
    variables: mixture.gate.variables,
    trainable: mixture.gate.trainable,
    hp,
    seed: options.seed,
    lossFn: (batch) => mixture.lossCached(batch, { training: true }),
    batches: (epoch, rng) => balancedCachedBatches(options.train, rng, epochBatchOptions(hp, options.seed, epoch)),
    disposeBatch: disposeCachedBatch,
    validate: () => {
      const { loss, eer, auc } = evaluateCachedMixture(mixture, options.validation, { batchSize: hp.evalBatchSize });
      return { loss, eer, auc };
    },
    ...passthrough(options),
  });
}
