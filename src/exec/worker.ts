import { threadId } from 'node:worker_threads';
import { mkdirSync } from 'node:fs';
import { jobDirectory } from './job-dir.js';
import type { JobContext, JobTask, RunnerModule, WorkerMessage } from '../protocol/job-protocol.js';
import type { JobResult } from '../protocol/records.js';

/**
 * The Piscina worker: runs one job per task with the runner module the task names, and
 * streams progress over the task's port. It never touches the database: the main thread
 * is the only writer.
 */
const runners = new Map<string, Promise<RunnerModule>>();
let typeScriptLoader: Promise<void> | null = null;

/**
 * Node 20 does not hand module hooks registered through --import on to worker threads, so
 * when ablate runs from its TypeScript sources (development, tests) a .ts runner module
 * needs tsx's hooks registered in this thread too. The built package never gets here.
 */
function loadTypeScript(moduleUrl: string): Promise<void> {
  if (!moduleUrl.endsWith('.ts')) return Promise.resolve();
  typeScriptLoader ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
  return typeScriptLoader;
}

export default async function runJob(task: JobTask): Promise<JobResult> {
  const { port } = task;
  const send = (message: WorkerMessage) => port.postMessage(message);
  try {
    let runner = runners.get(task.runnerModule);
    if (!runner) {
      runner = loadTypeScript(task.runnerModule).then(() => import(task.runnerModule) as Promise<RunnerModule>);
      runners.set(task.runnerModule, runner);
    }
    const { default: run } = await runner;
    const jobDir = jobDirectory(task.resultsDir, task.job.key);
    mkdirSync(jobDir, { recursive: true });
    send({ type: 'started', threadId, backend: null });
    const context: JobContext = {
      job: task.job,
      attemptNumber: task.attemptNumber,
      resultsDir: task.resultsDir,
      jobDir,
      depDirs: Object.fromEntries(task.job.deps.map((dep) => [dep, jobDirectory(task.resultsDir, dep)])),
      backend: task.backend,
      device: task.device,
      stopRequested: () => Atomics.load(task.stopFlag, 0) === 1,
      progress: (update) => send({ type: 'progress', ...update }),
      epoch: (metrics) => send({ type: 'epoch', ...metrics }),
      log: (message) => send({ type: 'log', message }),
      usingBackend: (name) => send({ type: 'started', threadId, backend: name }),
    };
    return await run(context);
  } catch (error) {
    // A backend that aborted (out of memory) fails every later call in this thread: report
    // the failure and wait for the main thread to end the thread (src/exec/scheduler.ts),
    // so the next job gets a fresh one and the message is not lost to a racing exit.
    if ((error as { threadUnusable?: boolean } | null)?.threadUnusable === true) {
      send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
      await new Promise(() => {});
    }
    throw error;
  } finally {
    port.close();
  }
}
