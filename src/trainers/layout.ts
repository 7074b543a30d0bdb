import { join } from 'node:path';

/**
 * Where a command trainer's files live in its job folder. The model and checkpoint folders
 * are the same as the built-in trainer's; the rest is under trainer/, one log and one
 * event stream per attempt, so a failed attempt's evidence survives the next one.
 */
export function trainerLayout(jobDir: string, attempt: number) {
  const own = join(jobDir, 'trainer');
  return {
    jobFile: join(jobDir, 'job.json'),
    own,
    model: join(jobDir, 'model'),
    checkpoint: join(jobDir, 'checkpoint'),
    log: join(own, `attempt-${attempt}.log`),
    events: join(own, `attempt-${attempt}.events.jsonl`),
    pidFile: join(own, 'pid'),
    scores: join(own, 'scores'),
    gates: join(own, 'gates'),
    expertScores: join(own, 'expert-scores'),
  };
}

/** A set name as a file name (selectors hold ':' and '@'). */
export function setFileName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9_.-]+/g, '_')}.tsv`;
}
