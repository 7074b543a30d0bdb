import type { EpochMetrics } from '../protocol/records.js';
import type { EpochRecord, TrainResult } from '../train/index.js';

/**
 * A loop epoch as the store keeps it (1-based epochs; train loss, validation figures, lr,
 * and `seconds`: the epoch's wall time, validation included, so status and the training
 * curves can show s/epoch without reading checkpoints).
 */
export function epochMetrics(stage: string, record: EpochRecord): EpochMetrics {
  const metrics: Record<string, number | null> = { loss: record.trainLoss, lr: record.lr, seconds: record.seconds };
  for (const [name, value] of Object.entries(record.validation)) {
    if (typeof value === 'number') metrics[`val${name[0]?.toUpperCase()}${name.slice(1)}`] = value;
  }
  return { stage, epoch: record.epoch + 1, metrics };
}

/** What a training job's summary says of its loop (1-based best epoch, as epochs are stored). */
export function loopSummary(result: TrainResult): { epochs: number; bestEpoch: number; bestMetric: number; stoppedEarly: boolean; resumedFromEpoch: number | null } {
  return {
    epochs: result.epochs,
    bestEpoch: result.bestEpoch + 1,
    bestMetric: result.bestMetric,
    stoppedEarly: result.stoppedEarly,
    resumedFromEpoch: result.resumedFromEpoch,
  };
}
