import { JobInterrupted, type JobContext } from '../../exec/protocol.js';
import { TrainingAborted } from '../index.js';

/**
 * The training loop stops on an AbortSignal checked between steps; the job learns of a stop
 * request through the context. This turns one into the other, and the loop's
 * TrainingAborted into the JobInterrupted the scheduler expects (the checkpoint of the last
 * finished epoch stays on disk for the resume).
 */
export function stopSignal(context: JobContext): { signal: AbortSignal; poll: () => void } {
  const controller = new AbortController();
  return {
    signal: controller.signal,
    poll: () => {
      if (!controller.signal.aborted && context.stopRequested()) controller.abort();
    },
  };
}

export async function asInterruptible<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TrainingAborted) throw new JobInterrupted(error.message);
    throw error;
  }
}
