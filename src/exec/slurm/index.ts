export { submitSweep, type SlurmSubmitOptions, type SubmitOutcome } from './submit.js';
export { runArrayTask, taskExit, type ArrayTaskOptions } from './run-task.js';
export { collectSweep, collectAll, type CollectSummary, type CollectOptions } from './collect.js';
export { slurmRunOptions, slurmSettings, rejectSlurmOnlyOptions, parseSlurmTime, type SlurmCliArgs, type SlurmSettings, type Executor } from './options.js';
export { jobLiveness, type JobLiveness, type Liveness } from './liveness.js';
export { querySlurm, type SlurmQuery, type SlurmSnapshot, type TaskState } from './task-states.js';
export { slurmLayout, resultFile, heartbeatFile, type SlurmLayout } from './layout.js';
export type { SlurmManifest, SlurmResultFile, SlurmAttemptRecord, HeartbeatRecord, SubmissionRecord } from './records.js';
