/**
 * The training engine: backends, the generic loop, its optimizer, schedule, loss, batches,
 * checkpoints and scoring. Call initBackend once per thread (each worker) before anything.
 */
export { BACKEND_CHOICES, initBackend } from '../nn/backend.js';
export type { BackendChoice, BackendInfo, BackendName, InitBackendOptions } from '../nn/backend.js';
export { trainLoop, TrainingAborted } from './train-loop.js';
export type { EpochRecord, LoopHyperParams, StepContext, TrainLoopOptions, TrainResult, ValidationResult } from './train-loop.js';
export { trainClassifier } from './classifier.js';
export type { ClassifierHyperParams, TrainClassifierOptions } from './classifier.js';
export { AdamW } from './adamw.js';
export type { AdamWOptions, AdamWState } from './adamw.js';
export { learningRateAt } from './schedule.js';
export type { ScheduleKind, ScheduleOptions } from './schedule.js';
export { softmaxCrossEntropy } from './loss.js';
export { balancedBatches, balancedRowPlan, batchOf, countItems, itemSize, sequentialRows } from './batches.js';
export type { BalancedBatchOptions, Batch, LabelledArray } from './batches.js';
export { loadCheckpoint, saveCheckpoint } from '../nn/checkpoint.js';
export type { Checkpoint, CheckpointMeta, NamedArray } from '../nn/checkpoint.js';
export { bonafideScores, evaluateClassifier, logitsOf } from './scores.js';
export type { ClassifierEvaluation, ScoreOptions } from './scores.js';
export { assignArrays, modelVariables, readArrays } from '../nn/variables.js';
export type { ModelVariables, NamedVariable } from '../nn/variables.js';
export { layerStepSeed, withStepSeed } from '../nn/step-seed.js';
