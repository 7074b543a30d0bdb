import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readSubmission, type SubmissionRecord } from './records.js';
import type { SlurmLayout } from './layout.js';

export const submissionFileName = 'submission.json';

/** Where each job was last submitted: its array task. */
export interface SubmittedTask {
  jobKey: string;
  arrayJobId: string;
  index: number;
  level: number;
  submission: string;
  /** "<array job id>_<index>", as squeue and sacct name it. */
  taskId: string;
}

/** Every submission of the sweep, oldest first (ids start with a UTC timestamp). */
export function listSubmissions(layout: SlurmLayout): SubmissionRecord[] {
  if (!existsSync(layout.submissions)) return [];
  return readdirSync(layout.submissions)
    .sort()
    .map((id) => join(layout.submissions, id, submissionFileName))
    .filter((file) => existsSync(file))
    .map((file) => readSubmission(file));
}

/** Each job's most recent array task (a later submission supersedes an earlier one). */
export function latestTasks(layout: SlurmLayout): Map<string, SubmittedTask> {
  const latest = new Map<string, SubmittedTask>();
  for (const submission of listSubmissions(layout)) {
    for (const level of submission.levels) {
      level.jobs.forEach((jobKey, index) => {
        latest.set(jobKey, { jobKey, arrayJobId: level.arrayJobId, index, level: level.level, submission: submission.id, taskId: `${level.arrayJobId}_${index}` });
      });
    }
  }
  return latest;
}

/** A sortable, unique submission id: UTC time to the millisecond plus a short random tag. */
export function newSubmissionId(date = new Date(), tag = randomBytes(2).toString('hex')): string {
  // An identity, not a seeded choice: the tag only keeps two submissions in one millisecond apart.
  return `${date.toISOString().replace(/[-:]/g, '').replace('.', '')}-${tag}`;
}
