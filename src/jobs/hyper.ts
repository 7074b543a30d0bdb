import type { ClassifierHyperParams } from '../train/index.js';
import type { TrainingConfig } from '../config/schema/index.js';
import { resolveTraining } from '../config/training-config.js';

/** The loop's hyper-parameters from a stage's config, defaulted in one place (src/config/training-config.ts). */
export function classifierHyperParams(config: TrainingConfig): ClassifierHyperParams {
  const t = resolveTraining(config);
  return {
    epochs: t.epochs,
    lr: t.lr,
    weightDecay: t.weightDecay,
    schedule: t.schedule,
    // The cosine floor never exceeds the peak rate: a schedule that rises would not be cosine annealing.
    etaMin: Math.min(t.etaMin, t.lr),
    patience: t.patience,
    monitor: t.monitor,
    batchSize: t.batchSize,
    labelSmoothing: t.labelSmoothing,
    ...(t.batchesPerEpoch !== undefined ? { stepsPerEpoch: t.batchesPerEpoch } : {}),
    ...(t.balanced === false ? { balanced: false } : {}),
    ...(t.classPools !== undefined ? { classPools: t.classPools } : {}),
    ...(t.validationNorm !== undefined ? { validationNorm: t.validationNorm } : {}),
    ...(t.tieBreak !== undefined ? { tieBreak: t.tieBreak } : {}),
  };
}
