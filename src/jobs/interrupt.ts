import { JobInterrupted, type JobContext } from '../protocol/job-protocol.js';
import { TrainingAborted, type EpochRecord } from '../train/index.js';
import { epochMetrics } from './epochs.js';

/**
 * What a training job hands the loop to report progress and stop on request. The loop
 * stops on an AbortSignal checked between steps; the job learns of a stop request through
 * its context, polled at every step.
 */
export interface TrainingHooks {
  signal: AbortSignal;
  onStep: (progress: { epoch: number; step: number; loss: number }) => void;
  onEpoch: (record: EpochRecord) => void;
}

export function trainingHooks(context: JobContext, stage: string, epochs: number): TrainingHooks {
  const controller = new AbortController();
  return {
    signal: controller.signal,
    onStep: ({ epoch, step, loss }: { epoch: number; step: number; loss: number }) => {
      if (!controller.signal.aborted && context.stopRequested()) controller.abort();
      context.progress({ stage, epoch: epoch + 1, epochs, step: step + 1, loss });
    },
    onEpoch: (record: EpochRecord) => {
      context.epoch(epochMetrics(stage, record));
      context.progress({ stage, epoch: record.epoch + 1, epochs, loss: record.trainLoss });
    },
  };
}

/**
 * The loop's TrainingAborted becomes the JobInterrupted the scheduler expects (the
 * checkpoint of the last finished epoch stays on disk for the resume).
 */
export async function asInterruptible<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TrainingAborted) throw new JobInterrupted(error.message);
    throw error;
  }
}
