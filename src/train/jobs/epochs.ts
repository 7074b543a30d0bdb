import type { EpochMetrics } from '../../store/index.js';
import type { EpochRecord } from '../index.js';

/** A loop epoch as the store keeps it (1-based epochs; train loss, validation figures, lr). */
export function epochMetrics(stage: string, record: EpochRecord): EpochMetrics {
  const metrics: Record<string, number | null> = { loss: record.trainLoss, lr: record.lr };
  for (const [name, value] of Object.entries(record.validation)) {
    if (typeof value === 'number') metrics[`val${name[0]?.toUpperCase()}${name.slice(1)}`] = value;
  }
  return { stage, epoch: record.epoch + 1, metrics };
}
