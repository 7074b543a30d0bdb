import type { CommandModule } from 'yargs';
import { listSweeps, openDatabase } from '../store/index.js';
import { sweepStatus, type SweepStatus } from '../status/sweep-status.js';
import { formatDuration } from '../exec/format.js';
import { skippedLines } from '../protocol/skipped-files.js';
import { collectSlurmResults, sweepNameOf } from './sweep-ref.js';

interface StatusArgs {
  sweep?: string;
  results: string;
  json: boolean;
}

/** `ablate status [<sweep>]`: where a sweep stands (reads the store; safe while a run goes on). */
export const statusCommand: CommandModule<object, StatusArgs> = {
  command: 'status [sweep]',
  describe: 'trial and job counts per state, running jobs with progress and heartbeat age, failures, ETA',
  builder: (y) =>
    y
      .positional('sweep', { type: 'string', describe: 'sweep name or file (default: every sweep in the store)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the status as JSON and nothing else' }) as never,
  handler: (args) => {
    const db = openDatabase(args.results, { mustExist: true });
    try {
      const names = args.sweep ? [sweepNameOf(args.sweep, db)] : listSweeps(db).map((s) => s.name);
      collectSlurmResults(db, args.results, names);
      const statuses = names.map((name) => sweepStatus(db, name));
      if (args.json) {
        process.stdout.write(JSON.stringify(args.sweep ? statuses[0] : statuses, null, 2) + '\n');
        return;
      }
      if (statuses.length === 0) process.stdout.write('No sweeps in this results store yet.\n');
      for (const status of statuses) process.stdout.write(formatStatus(status) + '\n');
    } finally {
      db.close();
    }
  },
};

export function formatStatus(status: SweepStatus): string {
  const t = status.trials;
  // Trials share jobs (one pre-trained expert serves dozens of mixtures), so "trials running"
  // counted every trial waiting on a running job: 84 while 2 jobs ran. Jobs are what runs.
  const jobsRunning = status.running.length;
  const waiting = t.running > 0 ? ` (for ${t.running} trial${t.running === 1 ? '' : 's'})` : '';
  const lines = [
    `${status.sweep}: ${t.done}/${t.total} trials done, ${t.pending} pending, ${t.failed} failed; ${jobsRunning} job${jobsRunning === 1 ? '' : 's'} running${waiting}; ETA ${formatDuration(status.etaSeconds)}`,
  ];
  lines.push(`  jobs:`);
  for (const [kind, c] of Object.entries(status.jobs)) {
    lines.push(`    ${kind.padEnd(10)} ${c.done}/${c.total} done, ${c.running} running, ${c.pending} pending, ${c.failed} failed`);
  }
  if (status.backends.length > 0) lines.push(`  backends: ${status.backends.map((b) => `${b.backend} (${b.attempts})`).join(', ')}`);
  if (status.running.length > 0) {
    lines.push('  running:');
    for (const r of status.running) {
      const progress = r.progress as { stage?: string; epoch?: number; epochs?: number; loss?: number } | null;
      const detail = progress ? `${progress.stage ?? ''} epoch ${progress.epoch ?? '?'}/${progress.epochs ?? '?'}${progress.loss !== undefined ? ` loss ${progress.loss.toFixed(3)}` : ''}` : 'starting';
      const device = r.device !== null ? `  GPU ${r.device}` : '';
      const pace = r.secondsPerEpoch !== null ? `  ${formatEpochSeconds(r.secondsPerEpoch)}/epoch` : '';
      lines.push(`    ${r.job}  ${r.label}  attempt ${r.attemptNumber}${device}  ${detail}${pace}  heartbeat ${r.heartbeatAgeSeconds}s ago`);
    }
  }
  if (status.skippedFiles.length > 0) {
    lines.push('  skipped files (onBadFile: skip):');
    for (const line of skippedLines(status.skippedFiles)) lines.push(`    ${line}`);
  }
  if (status.failures.length > 0) {
    lines.push('  failures:');
    for (const f of status.failures) lines.push(`    ${f.job}  ${f.label} (${f.attempts} attempt(s), ${f.trials} trial(s)): ${f.error}`);
  }
  return lines.join('\n');
}

/** Seconds with one decimal under a minute (tiny jobs take fractions), then minutes. */
function formatEpochSeconds(seconds: number): string {
  return seconds < 60 ? `${seconds.toFixed(1)} s` : `${(seconds / 60).toFixed(1)} min`;
}
