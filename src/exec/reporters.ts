import { createLogUpdate } from 'log-update';
import { skippedLines } from '../protocol/skipped-files.js';
import type { JobSpec } from '../search/index.js';
import { formatDuration, formatProgress } from './format.js';
import type { JobOutcome, ProgressReporter, RunSnapshot, RunStart, RunSummary, RunningJobView } from './reporter.js';

type Write = (line: string) => void;

function header(snapshot: RunSnapshot): string {
  const failed = snapshot.trialsFailed > 0 ? `, ${snapshot.trialsFailed} failed` : '';
  return `${snapshot.trialsDone}/${snapshot.trialsTotal} trials done${failed}, jobs ${snapshot.jobsDone}/${snapshot.jobsTotal}, ${snapshot.running.length} running, ETA ${formatDuration(snapshot.etaSeconds)}`;
}

function startLine(info: RunStart): string {
  const recovered = info.recovered > 0 ? `; recovered ${info.recovered} interrupted attempt(s)` : '';
  return (
    `ablate run ${info.sweep}: ${info.trials} trials (${info.trialsDone} already done), ${info.jobs} jobs (${info.jobsDone} done), ` +
    `${info.workers} worker(s), backend ${info.backend}${recovered}`
  );
}

export function summaryLines(summary: RunSummary): string[] {
  const lines = [
    `${summary.sweep}: ${summary.trialsDone}/${summary.trialsTotal} trials done, ${summary.jobsRun} job(s) run in ${formatDuration(summary.seconds)}.`,
  ];
  const skipped = summary.skippedFiles ?? [];
  if (skipped.length > 0) {
    lines.push(`Unusable audio files were left out of ${skipped.length} data set(s) (onBadFile: skip):`);
    for (const line of skippedLines(skipped)) lines.push(`  ${line}`);
  }
  if (summary.failures.length > 0) {
    lines.push(`${summary.failures.length} job(s) failed (see \`ablate status ${summary.sweep}\` for details):`);
    for (const failure of summary.failures.slice(0, 20)) {
      lines.push(`  ${failure.key} (${failure.label}, needed by ${failure.trials} trial(s)): ${failure.error}`);
    }
  }
  return lines;
}

/** One line per event: for logs, CI and anything that is not a terminal. */
export class PlainReporter implements ProgressReporter {
  private lastEpochLine = new Map<string, string>();
  constructor(private readonly write: Write = (line) => process.stdout.write(line + '\n')) {}
  start(info: RunStart): void {
    this.write(startLine(info));
  }
  jobStarted(_job: JobSpec, view: RunningJobView): void {
    this.write(`start  ${view.key}  ${view.label}${view.attempt > 1 ? ` (attempt ${view.attempt})` : ''}`);
  }
  jobProgress(view: RunningJobView): void {
    // One line per epoch, not per batch.
    const epoch = view.progress?.epoch;
    if (epoch === undefined) return;
    const key = `${view.progress?.stage}:${epoch}`;
    if (this.lastEpochLine.get(view.key) === key) return;
    this.lastEpochLine.set(view.key, key);
    this.write(`       ${view.key}  ${formatProgress(view)}`);
  }
  jobFinished(_job: JobSpec, view: RunningJobView, outcome: JobOutcome, snapshot: RunSnapshot, detail?: string): void {
    this.lastEpochLine.delete(view.key);
    const took = formatDuration((Date.now() - view.startedAt) / 1000);
    this.write(`${outcome.padEnd(6)} ${view.key}  ${view.label} in ${took}${detail ? `: ${detail}` : ''}  [${header(snapshot)}]`);
  }
  stopping(reason: string): void {
    this.write(`stopping (${reason}): running jobs write a checkpoint and stop; Ctrl-C again to quit at once.`);
  }
  log(line: string): void {
    this.write(`note   ${line}`);
  }
  finish(summary: RunSummary): void {
    for (const line of summaryLines(summary)) this.write(line);
  }
}

/** A live view on a terminal: the header and one line per running job, redrawn in place. */
export class LiveReporter implements ProgressReporter {
  private readonly live = createLogUpdate(process.stdout);
  private last: RunSnapshot | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly started = Date.now();
  private sweep = '';

  start(info: RunStart): void {
    this.sweep = info.sweep;
    process.stdout.write(startLine(info) + '\n');
    this.timer = setInterval(() => this.render(), 500);
    this.timer.unref();
  }
  jobStarted(_job: JobSpec, _view: RunningJobView, snapshot: RunSnapshot): void {
    this.last = snapshot;
  }
  jobProgress(_view: RunningJobView, snapshot: RunSnapshot): void {
    this.last = snapshot;
  }
  jobFinished(_job: JobSpec, view: RunningJobView, outcome: JobOutcome, snapshot: RunSnapshot, detail?: string): void {
    this.last = snapshot;
    if (outcome !== 'done') {
      this.live.clear();
      process.stdout.write(`${outcome}: ${view.key} ${view.label}${detail ? `: ${detail}` : ''}\n`);
    }
    this.render();
  }
  stopping(reason: string): void {
    this.live.clear();
    process.stdout.write(`stopping (${reason}): running jobs write a checkpoint and stop; Ctrl-C again to quit at once.\n`);
  }
  log(line: string): void {
    this.live.clear();
    process.stdout.write(`${line}\n`);
    this.render();
  }
  finish(summary: RunSummary): void {
    if (this.timer) clearInterval(this.timer);
    this.render();
    this.live.done();
    for (const line of summaryLines(summary)) process.stdout.write(line + '\n');
  }
  private render(): void {
    if (!this.last) return;
    const elapsed = formatDuration((Date.now() - this.started) / 1000);
    const lines = [`${this.sweep}: ${header(this.last)}, elapsed ${elapsed}`];
    for (const view of this.last.running) lines.push(`  ${view.key}  ${view.label.padEnd(34)} ${view.device ? `GPU ${view.device}  ` : ''}${formatProgress(view)}`);
    this.live(lines.join('\n'));
  }
}

/** --quiet: only the final summary (and failures in it). */
export class QuietReporter implements ProgressReporter {
  start(): void {}
  jobStarted(): void {}
  jobProgress(): void {}
  jobFinished(): void {}
  stopping(): void {}
  log(): void {}
  finish(summary: RunSummary): void {
    for (const line of summaryLines(summary)) process.stdout.write(line + '\n');
  }
}

export function chooseReporter(options: { quiet: boolean }): ProgressReporter {
  if (options.quiet) return new QuietReporter();
  return process.stdout.isTTY ? new LiveReporter() : new PlainReporter();
}
