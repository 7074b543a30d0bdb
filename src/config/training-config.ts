import { type TrainingConfig, trainingSchema } from './schema/training.js';
import { child, defaultsOf, fail, numberIn, oneOf } from './schema-rules.js';

/**
 * One training stage with the schema's defaults. The recipe knobs without a schema default
 * (batchesPerEpoch, classPools, validationNorm, tieBreak) stay optional: absent means the
 * loop's own behaviour, and a filled-in value would change trial ids (schema/training.ts).
 */
export interface ResolvedTraining {
  epochs: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  schedule: 'cosine' | 'constant';
  etaMin: number;
  labelSmoothing: number;
  patience: number;
  monitor: 'loss' | 'eer';
  balanced: boolean;
  batchesPerEpoch?: number;
  classPools?: 'epoch' | 'persistent';
  validationNorm?: 'recalibrate' | 'running';
  tieBreak?: 'first' | 'loss';
}

export const trainingDefaults = defaultsOf(trainingSchema.properties);

const props = trainingSchema.properties;

/** A stage's config with the schema's defaults, checked against the schema's bounds. */
export function resolveTraining(config: TrainingConfig = {}, path = 'train'): ResolvedTraining {
  const merged = { ...trainingDefaults, ...config };
  const at = (key: string) => child(path, key);
  if (typeof merged.balanced !== 'boolean') fail(at('balanced'), 'true or false', merged.balanced);
  return {
    epochs: numberIn(at('epochs'), merged.epochs, props.epochs),
    batchSize: numberIn(at('batchSize'), merged.batchSize, props.batchSize),
    lr: numberIn(at('lr'), merged.lr, props.lr),
    weightDecay: numberIn(at('weightDecay'), merged.weightDecay, props.weightDecay),
    schedule: oneOf(at('schedule'), merged.schedule, props.schedule.enum),
    etaMin: numberIn(at('etaMin'), merged.etaMin, props.etaMin),
    labelSmoothing: numberIn(at('labelSmoothing'), merged.labelSmoothing, props.labelSmoothing),
    patience: numberIn(at('patience'), merged.patience, props.patience),
    monitor: oneOf(at('monitor'), merged.monitor, props.monitor.enum),
    balanced: merged.balanced,
    ...(merged.batchesPerEpoch !== undefined ? { batchesPerEpoch: numberIn(at('batchesPerEpoch'), merged.batchesPerEpoch, props.batchesPerEpoch) } : {}),
    ...(merged.classPools !== undefined ? { classPools: oneOf(at('classPools'), merged.classPools, props.classPools.enum) } : {}),
    ...(merged.validationNorm !== undefined ? { validationNorm: oneOf(at('validationNorm'), merged.validationNorm, props.validationNorm.enum) } : {}),
    ...(merged.tieBreak !== undefined ? { tieBreak: oneOf(at('tieBreak'), merged.tieBreak, props.tieBreak.enum) } : {}),
  };
}
