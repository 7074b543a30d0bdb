import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { JobSpec, Plan } from '../../search/index.js';
import { removedTrialsWarning } from '../removed-trials.js';
import { acquireRunLock, databasePath, openDatabase, registerPlan, releaseRunLock, sweepJobs, type Db } from '../../store/index.js';
import { writeFileAtomicallySync } from '../../util/atomic.js';
import { isUserError, UserError } from '../../util/errors.js';
import type { BackendChoice } from '../../protocol/job-protocol.js';
import { runnerModuleUrl } from '../runner-module.js';
import { needsGpu } from '../gpus.js';
import { collectSweep, type CollectSummary } from './collect.js';
import { ablateCommand } from './command-line.js';
import { resultFile, slurmLayout, type SlurmLayout } from './layout.js';
import { jobLiveness, slurmSnapshot, type JobLiveness } from './liveness.js';
import { buildManifest, trialsByJob } from './manifest.js';
import type { SlurmSettings } from './options.js';
import { readResultFile, type SubmissionRecord, type SubmittedLevel } from './records.js';
import { renderScript } from './script.js';
import { maxArraySize, sbatch, scancel, slurmCommand } from './slurm-cli.js';
import { newSubmissionId, submissionFileName } from './submissions.js';
import { querySlurm, type SlurmQuery, type SlurmSnapshot } from './task-states.js';
import { dependencyLevels, splitArrays } from './levels.js';

export interface SlurmSubmitOptions {
  plan: Plan;
  /** The validated sweep, stored so `resume` needs no file. */
  spec: unknown;
  resultsDir: string;
  backend: BackendChoice;
  maxAttempts: number;
  settings: SlurmSettings;
  /** `ablate run --gpus`: GPUs per task for arrays with command-trainer jobs (null: none asked). */
  gpusPerTask?: number | null;
  /** Where the summary (and, in a dry run, the scripts) go. */
  out?: (text: string) => void;
  query?: SlurmQuery;
}

export interface SubmitOutcome {
  submission: string | null;
  levels: SubmittedLevel[];
  /** Jobs of the plan already done. */
  done: number;
  /** Jobs left alone because Slurm still has them queued or running. */
  alive: JobLiveness[];
  /** Jobs put in new arrays, and why each needed it. */
  submitted: Array<{ key: string; why: string }>;
  collected: CollectSummary | null;
  /** The scripts, as written (or, in a dry run, as they would be). */
  scripts: string[];
}

/**
 * `ablate run|resume <sweep> --executor slurm`: freeze the jobs that have no result and are
 * not queued or running in Slurm into one manifest and one job array per dependency level,
 * submit the arrays chained with afterok dependencies, and return. Collects the result files
 * first, so a rerun submits only what is still missing.
 */
export function submitSweep(options: SlurmSubmitOptions): SubmitOutcome {
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  if (options.settings.dryRun) return dryRun(options, out);
  const sweep = options.plan.space.name;
  const resultsDir = resolve(options.resultsDir);
  const layout = slurmLayout(resultsDir, sweep);
  if (slurmCommand('sbatch', ['--version']).missing) {
    throw new UserError('sbatch: not found on PATH. `--executor slurm` submits with Slurm\'s client commands: run it on a login node of the cluster (or preview the scripts with --dry-run).');
  }
  const db = openDatabase(resultsDir);
  const runId = randomUUID();
  try {
    // One submitter (or local run) per store at a time, so two never submit the same jobs.
    acquireRunLock(db, { runId, host: hostname(), pid: process.pid, sweep });
    try {
      process.stderr.write(removedTrialsWarning(sweep, registerPlan(db, options.plan, options.spec), options.resultsDir));
      const query = options.query ?? querySlurm;
      const snapshot = slurmSnapshot(layout, query);
      const collected = collectSweep(db, resultsDir, sweep, { query });
      for (const problem of collected.problems) process.stderr.write(`warning: ${problem}\n`);
      return submitMissing(db, options, layout, collected, snapshot, out);
    } finally {
      releaseRunLock(db, runId);
    }
  } finally {
    db.close();
  }
}

function submitMissing(db: Db, options: SlurmSubmitOptions, layout: SlurmLayout, collected: CollectSummary, snapshot: SlurmSnapshot, out: (text: string) => void): SubmitOutcome {
  const { plan, settings } = options;
  const sweep = plan.space.name;
  const stored = new Map(sweepJobs(db, sweep).map((row) => [row.key, row.state]));
  const liveness = jobLiveness(layout, [...plan.jobs.keys()].filter((key) => stored.get(key) !== 'done'), snapshot);
  // Judged by its heartbeat alone, a job can finish between the collect and that look: its
  // result file says so. Collect again rather than run it twice.
  if ([...liveness.values()].some((l) => l.liveness !== 'alive' && hasResult(resultFile(layout, l.jobKey)))) {
    const again = collectSweep(db, options.resultsDir, sweep, { query: null });
    collected.added += again.added;
    collected.updated += again.updated;
    collected.results += again.results;
    for (const row of sweepJobs(db, sweep)) stored.set(row.key, row.state);
  }
  const pending = [...plan.jobs.keys()].filter((key) => stored.get(key) !== 'done');
  const done = plan.jobs.size - pending.length;
  const stuck = [...liveness.values()].filter((l) => l.liveness === 'stuck');
  // Pending forever on a failed dependency: cancel, and submit again below.
  scancel(stuck.map((l) => l.task?.taskId as string));
  const alive = [...liveness.values()].filter((l) => l.liveness === 'alive');
  const submit = new Set(pending.filter((key) => liveness.get(key)?.liveness !== 'alive'));
  const outcome: SubmitOutcome = { submission: null, levels: [], done, alive, submitted: [], collected, scripts: [] };
  if (collected.added + collected.updated > 0) out(`Collected ${collected.added + collected.updated} attempt(s) from ${relative(process.cwd(), layout.results) || '.'} (${collected.results} new result(s)).\n`);
  if (submit.size === 0) {
    out(
      alive.length > 0
        ? `Nothing to submit for ${sweep}: ${done}/${plan.jobs.size} jobs done, ${alive.length} still queued or running in Slurm (${summariseTasks(alive)}).\n`
        : `Nothing to submit for ${sweep}: all ${plan.jobs.size} jobs are done.\n`,
    );
    return outcome;
  }
  outcome.submitted = [...submit].map((key) => ({ key, why: liveness.get(key)?.detail ?? '' }));
  const levels = dependencyLevels(plan, submit);
  const submission = newSubmissionId();
  const dir = join(layout.submissions, submission);
  mkdirSync(dir, { recursive: true });
  mkdirSync(layout.logs, { recursive: true });
  const record: SubmissionRecord = { id: submission, sweep, createdAt: new Date().toISOString(), levels: [] };
  const arrayOf = new Map<string, string>();
  const aliveTask = new Map(alive.map((l) => [l.jobKey, l.task?.taskId as string]));
  const trials = trialsByJob(plan);
  const runnerModule = runnerModuleUrl();
  outcome.submission = submission;
  const arrays = splitArrays(levels, maxArraySize());
  for (const array of arrays) {
    const { level, jobs } = array;
    const manifestPath = join(dir, `${array.name}.json`);
    const scriptPath = join(dir, `${array.name}.sbatch`);
    const manifest = buildManifest(
      { plan, jobs, submission, level, levels: levels.length, resultsDir: resolve(options.resultsDir), runnerModule, backend: options.backend, maxAttempts: options.maxAttempts, heartbeatSeconds: settings.heartbeatSeconds },
      trials,
    );
    writeFileAtomicallySync(manifestPath, JSON.stringify(manifest));
    const dependency = dependencyOf(jobs, arrayOf, aliveTask);
    const script = renderScript({ sweep, submission, level, levels: levels.length, part: array.partLabel, jobs, manifest: manifestPath, logs: layout.logs, workingDir: process.cwd(), dependency, settings: arraySettings(settings, jobs, options.gpusPerTask), command: ablateCommand() });
    writeFileAtomicallySync(scriptPath, script);
    outcome.scripts.push(script);
    let arrayJobId: string;
    try {
      arrayJobId = sbatch(scriptPath);
    } catch (error) {
      if (!isUserError(error) || record.levels.length === 0) throw error;
      throw new UserError(`${error.message}\nThe arrays before ${array.name} of submission ${submission} were submitted; fix the problem and run \`ablate resume ${sweep} --executor slurm\`, which submits only what is missing.`);
    }
    for (const job of jobs) arrayOf.set(job.key, arrayJobId);
    const submitted: SubmittedLevel = { level, part: array.partLabel, manifest: manifestPath, script: scriptPath, arrayJobId, jobs: jobs.map((j) => j.key), dependency };
    record.levels.push(submitted);
    outcome.levels.push(submitted);
    // After every array, so a failure halfway leaves a record of what Slurm has.
    writeFileAtomicallySync(join(dir, submissionFileName), JSON.stringify(record, null, 1));
  }
  out(`Submitted ${submit.size} job(s) of ${sweep} in ${arrays.length} array(s) (submission ${submission}):\n`);
  for (const level of outcome.levels) {
    out(`  level ${level.level}${level.part ? ` part ${level.part}` : ''}: Slurm job ${level.arrayJobId}, ${level.jobs.length} task(s) (${kindsOf(plan, level.jobs)})${level.dependency ? `, after ${level.dependency.replace(/^afterok:/, '')}` : ''}\n`);
  }
  if (done > 0 || alive.length > 0) out(`  ${done} job(s) already done${alive.length > 0 ? `, ${alive.length} still queued or running (${summariseTasks(alive)})` : ''}.\n`);
  out(`Follow with \`ablate status ${sweep}\` (it collects results first); \`ablate resume ${sweep} --executor slurm\` submits again what failed or was cancelled.\n`);
  return outcome;
}

/** afterok on the new arrays that hold this level's dependencies, and on live tasks from earlier submissions. */
function dependencyOf(jobs: JobSpec[], arrayOf: Map<string, string>, aliveTask: Map<string, string>): string | null {
  const ids = new Set<string>();
  for (const job of jobs) {
    for (const dep of job.deps) {
      const array = arrayOf.get(dep);
      if (array) ids.add(array);
      const task = aliveTask.get(dep);
      if (task) ids.add(task);
    }
  }
  return ids.size > 0 ? `afterok:${[...ids].join(':')}` : null;
}

function kindsOf(plan: Plan, keys: string[]): string {
  const counts = new Map<string, number>();
  for (const key of keys) {
    const kind = plan.jobs.get(key)?.kind ?? '?';
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
}

function summariseTasks(alive: JobLiveness[]): string {
  const shown = alive.slice(0, 5).map((l) => l.task?.taskId ?? l.jobKey);
  return shown.join(', ') + (alive.length > shown.length ? `, ... ${alive.length - shown.length} more` : '');
}

/**
 * --dry-run: the scripts that would be submitted, without writing or submitting anything.
 * Jobs done in the store or with a result file are left out; Slurm is not asked what is
 * queued (the dry run works where Slurm is not installed).
 */
function dryRun(options: SlurmSubmitOptions, out: (text: string) => void): SubmitOutcome {
  const { plan, settings } = options;
  const sweep = plan.space.name;
  const resultsDir = resolve(options.resultsDir);
  const layout = slurmLayout(resultsDir, sweep);
  const doneKeys = doneInStore(resultsDir, plan);
  for (const key of plan.jobs.keys()) if (!doneKeys.has(key) && hasResult(resultFile(layout, key))) doneKeys.add(key);
  const submit = new Set([...plan.jobs.keys()].filter((key) => !doneKeys.has(key)));
  const outcome: SubmitOutcome = { submission: null, levels: [], done: doneKeys.size, alive: [], submitted: [...submit].map((key) => ({ key, why: 'no result' })), collected: null, scripts: [] };
  if (submit.size === 0) {
    out(`Nothing to submit for ${sweep}: all ${plan.jobs.size} jobs are done.\n`);
    return outcome;
  }
  const levels = dependencyLevels(plan, submit);
  const submission = newSubmissionId();
  const dir = join(layout.submissions, submission);
  const arrayOf = new Map<string, string>();
  const arrays = splitArrays(levels, maxArraySize());
  out(`# Dry run: ${submit.size} job(s) of ${sweep} in ${arrays.length} array(s); ${doneKeys.size} done. Nothing was written or submitted.\n`);
  for (const array of arrays) {
    const { level, jobs } = array;
    const dependency = dependencyOf(jobs, arrayOf, new Map());
    const script = renderScript({ sweep, submission, level, levels: levels.length, part: array.partLabel, jobs, manifest: join(dir, `${array.name}.json`), logs: layout.logs, workingDir: process.cwd(), dependency, settings: arraySettings(settings, jobs, options.gpusPerTask), command: ablateCommand() });
    for (const job of jobs) arrayOf.set(job.key, `<${array.name}-job-id>`);
    outcome.scripts.push(script);
    out(`\n# ---- ${join(dir, `${array.name}.sbatch`)} ----\n${script}`);
  }
  return outcome;
}

function hasResult(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    return readResultFile(file).result !== undefined;
  } catch {
    // An unreadable file is no result: the job would run again.
    return false;
  }
}

function doneInStore(resultsDir: string, plan: Plan): Set<string> {
  const done = new Set<string>();
  if (!existsSync(databasePath(resultsDir))) return done;
  const db = openDatabase(resultsDir, { readonly: true });
  try {
    const state = db.prepare('SELECT state FROM jobs WHERE key = ?');
    for (const key of plan.jobs.keys()) if ((state.get(key) as { state: string } | undefined)?.state === 'done') done.add(key);
  } finally {
    db.close();
  }
  return done;
}


/**
 * An array holding command-trainer jobs that take a GPU asks Slurm for GPUs per task (one
 * under `ablate run --gpus`; Slurm then sets CUDA_VISIBLE_DEVICES for the task); other
 * arrays keep the settings as given (--gpus-per-task), so feature jobs never wait for a GPU.
 */
function arraySettings(settings: SlurmSettings, jobs: Array<Pick<JobSpec, 'kind' | 'inputs'>>, gpusPerTask: number | null | undefined): SlurmSettings {
  if (!gpusPerTask || !jobs.some(needsGpu)) return settings;
  return { ...settings, gpusPerTask };
}
