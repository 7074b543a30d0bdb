import * as tf from '@tensorflow/tfjs';
import { type BatchHyperParams, type LabelledArray, balancedBatches, type Batch, epochBatchOptions } from './batches.js';
import { softmaxCrossEntropy } from './loss.js';
import { evaluateClassifier, logitsOf } from './scores.js';
import { type LoopHyperParams, type TrainLoopOptions, type TrainResult, trainLoop } from './train-loop.js';
import { modelVariables } from '../nn/variables.js';
import { recalibrateForValidation } from './batch-norm-recalibration.js';
import { deriveSeed } from '../util/rng.js';
import { centreCrop, croppedBatches } from './draw-crops.js';

/** A single-model job's hyper-parameters: the loop's plus batching and the loss's. */
export interface ClassifierHyperParams extends LoopHyperParams, BatchHyperParams {
  labelSmoothing: number;
  /** Batch-norm statistics for validation: recalibrated on the training data (default) or the running ones. */
  validationNorm?: 'recalibrate' | 'running';
}

export interface TrainClassifierOptions {
  /** Outputs [..., logits [batch, 2]]; logit 1 = bona fide. */
  model: tf.LayersModel;
  train: LabelledArray;
  /**
   * The training data of one epoch, when it changes between epochs (augmentation); same
   * items, labels and order as `train`. Default: `train` every epoch.
   */
  trainForEpoch?: (epoch: number) => LabelledArray;
  validation: LabelledArray;
  hp: ClassifierHyperParams;
  seed: number;
  checkpoint?: TrainLoopOptions<Batch>['checkpoint'];
  onEpoch?: TrainLoopOptions<Batch>['onEpoch'];
  onStep?: TrainLoopOptions<Batch>['onStep'];
  signal?: AbortSignal;
  /**
   * `data.cropPoolSeconds`: the training items are longer windows, and each draw is cut
   * to this many time steps at a fresh random position (draw-crops.ts); validation items
   * have it already.
   */
  cropTo?: number;
}

/**
 * Train one two-class model (an expert's pre-training, a single-model baseline) with
 * class-balanced batches and smoothed cross-entropy; validation reports loss and EER,
 * after recalibrating the batch-norm statistics on the training data (see
 * recalibrateForValidation).
 */
export function trainClassifier(options: TrainClassifierOptions): Promise<TrainResult> {
  const { model, hp } = options;
  const { variables, trainable } = modelVariables(model);
  const cropTo = options.cropTo;
  // Recalibration runs on the items at the model's length: their centre windows, cut once.
  let recalibrationData: LabelledArray | undefined;
  const loopOptions: TrainLoopOptions<Batch> = {
    variables,
    trainable,
    hp,
    seed: options.seed,
    lossFn: (batch) => softmaxCrossEntropy(logitsOf(model.apply(batch.x, { training: true }) as tf.Tensor | tf.Tensor[]), batch.labels, hp.labelSmoothing),
    batches: (epoch, rng) => {
      const data = options.trainForEpoch?.(epoch) ?? options.train;
      const batchOptions = epochBatchOptions(hp, options.seed, epoch);
      return cropTo === undefined ? balancedBatches(data, rng, batchOptions) : croppedBatches(data, rng, batchOptions, options.seed, epoch, cropTo);
    },
    validate: (epoch) => {
      recalibrationData ??= cropTo === undefined ? options.train : centreCrop(options.train, cropTo);
      recalibrateForValidation(model, recalibrationData, hp, deriveSeed(options.seed, 'batch-norm', epoch));
      const { loss, eer, auc } = evaluateClassifier(model, options.validation, { labelSmoothing: hp.labelSmoothing });
      return { loss, eer, auc };
    },
  };
  if (options.checkpoint !== undefined) loopOptions.checkpoint = options.checkpoint;
  if (options.onEpoch !== undefined) loopOptions.onEpoch = options.onEpoch;
  if (options.onStep !== undefined) loopOptions.onStep = options.onStep;
  if (options.signal !== undefined) loopOptions.signal = options.signal;
  return trainLoop(loopOptions);
}
