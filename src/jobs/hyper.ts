import type { ClassifierHyperParams } from '../train/index.js';
import type { TrainingConfig } from '../config/schema/index.js';

/**
 * The loop's hyper-parameters from a stage's config (the schema's defaults are filled in
 * by the planner; these fallbacks only cover configs written by hand).
 */
export function classifierHyperParams(config: TrainingConfig): ClassifierHyperParams {
  return {
    epochs: config.epochs ?? 20,
    lr: config.lr ?? 1e-4,
    weightDecay: config.weightDecay ?? 1e-4,
    schedule: config.schedule ?? 'cosine',
    etaMin: Math.min(config.etaMin ?? 1e-5, config.lr ?? 1e-4),
    patience: config.patience ?? 20,
    monitor: config.monitor ?? 'loss',
    batchSize: config.batchSize ?? 32,
    labelSmoothing: config.labelSmoothing ?? 0.2,
    ...(config.batchesPerEpoch !== undefined ? { stepsPerEpoch: config.batchesPerEpoch } : {}),
    ...(config.balanced === false ? { balanced: false } : {}),
    ...(config.classPools !== undefined ? { classPools: config.classPools } : {}),
    ...(config.validationNorm !== undefined ? { validationNorm: config.validationNorm } : {}),
    ...(config.tieBreak !== undefined ? { tieBreak: config.tieBreak } : {}),
  };
}
