import type { JobSpec, Plan } from '../../search/index.js';
import type { Json } from '../../search/paths.js';
import type { BackendChoice } from '../../protocol/job-protocol.js';
import { manifestFormat, type SlurmManifest } from './records.js';

export interface ManifestInput {
  plan: Plan;
  jobs: JobSpec[];
  submission: string;
  level: number;
  levels: number;
  resultsDir: string;
  runnerModule: string;
  backend: BackendChoice;
  maxAttempts: number;
  heartbeatSeconds: number;
}

/** Freeze one level's work: array index -> job, with the configs of the trials it serves. */
export function buildManifest(input: ManifestInput, trialsOfJob: Map<string, string[]>): SlurmManifest {
  const configs = new Map(input.plan.space.trials.map((trial) => [trial.id, trial.config as unknown as Json]));
  const trials: Record<string, Json> = {};
  const tasks = input.jobs.map((job, index) => {
    const ids = trialsOfJob.get(job.key) ?? [];
    for (const id of ids) trials[id] = configs.get(id) ?? null;
    return { index, job, trials: ids };
  });
  return {
    format: manifestFormat,
    version: 1,
    sweep: input.plan.space.name,
    submission: input.submission,
    level: input.level,
    levels: input.levels,
    createdAt: new Date().toISOString(),
    resultsDir: input.resultsDir,
    runnerModule: input.runnerModule,
    backend: input.backend,
    maxAttempts: input.maxAttempts,
    heartbeatSeconds: input.heartbeatSeconds,
    trials,
    tasks,
  };
}

/** Trial ids per job key, in plan order. */
export function trialsByJob(plan: Plan): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [trialId, trialPlan] of plan.trials) {
    for (const key of trialPlan.jobs) {
      const list = out.get(key) ?? [];
      list.push(trialId);
      out.set(key, list);
    }
  }
  return out;
}
