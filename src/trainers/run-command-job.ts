import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { JobInterrupted, type JobContext } from '../protocol/job-protocol.js';
import type { EpochMetrics, JobResult } from '../protocol/records.js';
import { commandTrainerOf, trainerName, type CommandTrainer } from '../config/schema/trainer.js';

export { trainerName };
import { writeFileAtomicallySync } from '../util/atomic.js';
import { expandVariables } from '../config/dataset-roots.js';
import { buildJobFile } from './build-job-file.js';
import { jobEnvironment, JOB_FILE_VERSION, type TrainerJobFile } from './job-file.js';
import { trainerLayout } from './layout.js';
import { collectOutputs, MissingOutput } from './outputs.js';
import { killLeftover, lastLines, supervise, type Ending } from './supervise.js';
import { parseEvent, type TrainerEvent } from './events.js';

/** Defaults of the trainer section (the schema's, applied here: they are not part of the trial's hash). */
export const trainerDefaults = { heartbeatSeconds: 600, graceSeconds: 30 } as const;

/**
 * One attempt of a job run by a command trainer (docs/TRAINERS.md): write the job file,
 * run the program with the job's environment, follow its events, and on exit 0 turn its
 * outputs into the same result the built-in trainer gives. Every way it can go wrong has
 * its own message, which quotes the last lines of the attempt's log and names the file.
 */
export async function runCommandJob(context: JobContext): Promise<JobResult> {
  const written = commandTrainerOf(context.job.inputs);
  if (!written) throw new Error(`job ${context.job.key} has no command trainer`);
  const trainer = expandTrainer(written);
  const layout = trainerLayout(context.jobDir, context.attemptNumber);
  mkdirSync(layout.own, { recursive: true });
  // First end a program a killed ablate left running for this job: it would write into the folder being reset.
  const ownerMark = `${jobEnvironment.jobDir}=${context.jobDir}`;
  killLeftover(layout.pidFile, ownerMark);
  mkdirSync(layout.checkpoint, { recursive: true });
  // An earlier attempt's outputs must not pass for this one's: only checkpoints carry over.
  const fresh = context.job.kind === 'evaluate' ? [layout.scores, layout.gates, layout.expertScores] : [layout.model];
  for (const dir of [layout.model, layout.scores, layout.gates, layout.expertScores]) rmSync(dir, { recursive: true, force: true });
  for (const dir of fresh) mkdirSync(dir, { recursive: true });
  rmSync(layout.events, { force: true });
  const stage = context.job.kind === 'train-moe' ? 'moe' : context.job.kind;
  context.progress({ stage, message: 'writing the job file' });
  const jobFile = await buildJobFile(context);
  writeFileAtomicallySync(layout.jobFile, `${JSON.stringify(jobFile, null, 2)}\n`);
  const name = trainerName(trainer);
  context.usingBackend(`command:${name}`);

  const onEvent = (event: TrainerEvent) => {
    if (event.event === 'epoch') {
      context.epoch({ stage: event.stage ?? stage, epoch: event.epoch, metrics: event.metrics });
      const loss = event.metrics['loss'];
      context.progress({ stage, epoch: event.epoch, ...(event.epochs !== undefined ? { epochs: event.epochs } : {}), ...(typeof loss === 'number' ? { loss } : {}) });
    } else if (event.event === 'progress') {
      const { event: _event, time: _time, ...rest } = event;
      context.progress({ stage, ...rest });
    }
  };
  const cwd = resolve(trainer.cwd ?? '.');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...trainer.env,
    [jobEnvironment.jobFile]: layout.jobFile,
    [jobEnvironment.jobDir]: context.jobDir,
    [jobEnvironment.jobKind]: context.job.kind,
    [jobEnvironment.seed]: String(jobFile.seed),
    [jobEnvironment.resume]: jobFile.resume ? '1' : '0',
    [jobEnvironment.eventsFile]: layout.events,
    [jobEnvironment.protocolVersion]: String(JOB_FILE_VERSION),
    // Python buffers its output when it is not a terminal: the log would lag the events.
    PYTHONUNBUFFERED: trainer.env?.['PYTHONUNBUFFERED'] ?? '1',
  };
  if (context.device !== null) env['CUDA_VISIBLE_DEVICES'] = context.device;
  const started = performance.now();
  const ending = await supervise({
    command: trainer.command,
    cwd,
    env,
    logFile: layout.log,
    eventsFile: layout.events,
    pidFile: layout.pidFile,
    timeoutMs: trainer.timeoutSeconds !== undefined ? trainer.timeoutSeconds * 1000 : null,
    heartbeatMs: (trainer.heartbeatSeconds ?? trainerDefaults.heartbeatSeconds) * 1000,
    graceMs: (trainer.graceSeconds ?? trainerDefaults.graceSeconds) * 1000,
    stopRequested: context.stopRequested,
    onEvent,
  });
  // The program's own wall time, kept in the job's summary: the job's time minus it is ablate's share.
  const trainerSeconds = (performance.now() - started) / 1000;
  if (ending.kind === 'stopped') throw new JobInterrupted(`trainer ${name} stopped on request (SIGTERM); the next run resumes it from ${layout.checkpoint}`);
  if (!(ending.kind === 'exited' && ending.code === 0)) throw new Error(failureMessage(ending, name, trainer, layout.log));
  try {
    const result = await collectOutputs(jobFile, context.resultsDir, epochHistory(layout.own, stage));
    return { ...result, summary: { ...result.summary, trainer: name, trainerSeconds } };
  } catch (error) {
    const reason = error instanceof MissingOutput ? `trainer ${name} ${error.message}` : `trainer ${name} exited 0 but its outputs are unreadable: ${(error as Error).message}`;
    throw new Error(withLog(reason, layout.log));
  }
}

/**
 * ${VAR} in the program, its folder and environment values come from this machine (the
 * environment, or ablate.config.json's `paths`): a sweep can say "${ABLATE_PYTHON}" and
 * keep its trial ids wherever the interpreter lives.
 */
export function expandTrainer(trainer: CommandTrainer): CommandTrainer {
  const where = `trainer ${trainerName(trainer)}`;
  return {
    ...trainer,
    command: trainer.command.map((arg) => expandVariables(arg, `${where}: its command`)),
    ...(trainer.cwd !== undefined ? { cwd: expandVariables(trainer.cwd, `${where}: its cwd`) } : {}),
    ...(trainer.env !== undefined ? { env: Object.fromEntries(Object.entries(trainer.env).map(([k, v]) => [k, expandVariables(v, `${where}: env.${k}`)])) } : {}),
  };
}

function failureMessage(ending: Exclude<Ending, { kind: 'stopped' }>, name: string, trainer: CommandTrainer, log: string): string {
  let reason: string;
  switch (ending.kind) {
    case 'exited':
      reason = `trainer ${name} exited with code ${ending.code}`;
      break;
    case 'signalled':
      reason = `trainer ${name} was killed by ${ending.signal}`;
      break;
    case 'not-started':
      reason = `trainer ${name} could not start (${JSON.stringify(trainer.command[0])}, cwd ${resolve(trainer.cwd ?? '.')}): ${ending.reason}`;
      break;
    case 'timeout':
      reason = `trainer ${name} timed out: still running after ${ending.seconds} s (timeoutSeconds); stopped it`;
      break;
    case 'heartbeat':
      reason = `trainer ${name} lost its heartbeat: no event for ${ending.seconds} s (heartbeatSeconds); stopped it`;
      break;
    case 'malformed':
      reason = `trainer ${name} wrote a malformed event at ${ending.error.message}; stopped it`;
      break;
  }
  return withLog(reason, log);
}

function withLog(reason: string, log: string): string {
  const lines = lastLines(log);
  if (lines.length === 0) return `${reason}\n(its log ${log} is empty)`;
  return `${reason}\nlast lines of ${log}:\n${lines.map((line) => `  ${line}`).join('\n')}`;
}

/**
 * Every epoch of every attempt of the job, later attempts replacing the epochs they redo:
 * the record is complete even though each attempt streamed only its own epochs.
 */
function epochHistory(dir: string, stage: string): EpochMetrics[] {
  const files = readdirSync(dir)
    .map((file) => ({ file, attempt: /^attempt-(\d+)\.events\.jsonl$/.exec(file)?.[1] }))
    .filter((entry): entry is { file: string; attempt: string } => entry.attempt !== undefined)
    .sort((a, b) => Number(a.attempt) - Number(b.attempt));
  const epochs = new Map<string, EpochMetrics>();
  for (const { file } of files) {
    const path = `${dir}/${file}`;
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (line.trim() === '') return;
        let event: TrainerEvent;
        try {
          event = parseEvent(line, path, index + 1);
        } catch {
          return; // An earlier attempt's broken line already failed that attempt.
        }
        if (event.event !== 'epoch') return;
        const record = { stage: event.stage ?? stage, epoch: event.epoch, metrics: event.metrics };
        epochs.set(`${record.stage}|${record.epoch}`, record);
      });
  }
  return [...epochs.values()].sort((a, b) => a.stage.localeCompare(b.stage) || a.epoch - b.epoch);
}

export type { TrainerJobFile };
