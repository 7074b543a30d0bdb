import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError } from '../util/errors.js';

/**
 * Where a report is written, and how it replaces the previous one. The report is built in a
 * fresh sibling folder and renamed into place, so a report killed half-way leaves the old
 * one whole (never an index.html linking to figures already deleted), and the folder holds
 * exactly the new report's files (no figures of configurations that no longer exist).
 *
 * A report only ever deletes what a report wrote: the folder it replaces must carry the
 * manifest a report leaves (the files it wrote), or, for reports from before the manifest,
 * hold nothing but the files a report writes. Anything else is refused untouched.
 */
export const manifestName = '.ablate-report.json';

/** What an ablate report writes, for folders written before the manifest existed. */
const legacyReportFile = /^(index\.html|tables\/results\.(md|tex|csv)|figures\/[^/]+\.(vl\.json|svg|png))$/;

export interface ReportFolder {
  /** The folder to write the new report into. */
  staging: string;
  /** Put the staged report in place of `out` (replacing an earlier report). */
  publish(): void;
  /** Remove the staged report (after a failure). */
  discard(): void;
}

export function stageReport(out: string): ReportFolder {
  const parent = dirname(out);
  mkdirSync(parent, { recursive: true });
  removeAbandonedStaging(out);
  // Checked before the work too, so a folder we may not replace costs nothing.
  previousReport(out);
  const staging = join(parent, `.${basename(out)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(staging);
  return {
    staging,
    publish() {
      writeFileSync(join(staging, manifestName), JSON.stringify({ writtenBy: 'ablate report', files: filesUnder(staging).filter((f) => f !== manifestName) }, null, 2) + '\n');
      // Checked again: something may have been added (or the folder removed) meanwhile.
      const old = previousReport(out);
      if (old === null) {
        renameSync(staging, out);
        return;
      }
      const trash = join(parent, `.${basename(out)}.old-${process.pid}-${randomBytes(4).toString('hex')}`);
      renameSync(out, trash);
      renameSync(staging, out);
      removeReport(trash, old);
    },
    discard() {
      rmSync(staging, { recursive: true, force: true });
    },
  };
}

/** The files of the report now at `out` (null when there is none); throws when `out` holds anything else. */
function previousReport(out: string): string[] | null {
  if (!existsSync(out)) return null;
  if (!statSync(out).isDirectory()) throw new UserError(`${out}: is a file; a report needs a folder there. Choose another --out or move the file.`);
  const files = filesUnder(out);
  const listed = manifestFiles(out);
  // A report from before the manifest always wrote its tables; without them nothing there is known to be ours.
  const legacy = !listed && files.includes('tables/results.md');
  const ours = (file: string) => (listed ? listed.has(file) || file === manifestName : legacy && legacyReportFile.test(file));
  const foreign = files.filter((f) => !ours(f));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ` and ${foreign.length - 3} more` : '');
    throw new UserError(
      `${out}: holds files an ablate report did not write (${shown}); a report replaces its folder and deletes only what it wrote. ` +
        'Choose another --out, or move those files away.',
    );
  }
  return files;
}

function manifestFiles(out: string): Set<string> | null {
  const file = join(out, manifestName);
  if (!existsSync(file)) return null;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { files?: unknown };
    if (Array.isArray(parsed.files) && parsed.files.every((f) => typeof f === 'string')) return new Set(parsed.files as string[]);
  } catch {
    // An unreadable manifest proves nothing: fall through to refusing.
  }
  throw new UserError(`${join(out, manifestName)}: not a report manifest ablate can read; move the folder ${out} away or choose another --out.`);
}

/** Delete the listed files of a replaced report, then its folders if they are empty. */
function removeReport(folder: string, files: string[]): void {
  for (const file of files) rmSync(join(folder, file), { force: true });
  for (const sub of ['figures', 'tables', '']) {
    const path = join(folder, sub);
    if (existsSync(path) && readdirSync(path).length === 0) rmdirSync(path);
  }
}

/** Staging and replaced folders of reports that were killed (their process is gone): ours by name. */
function removeAbandonedStaging(out: string): void {
  const prefixes = [`.${basename(out)}.partial-`, `.${basename(out)}.old-`];
  for (const entry of readdirSync(dirname(out))) {
    const prefix = prefixes.find((p) => entry.startsWith(p));
    if (prefix === undefined) continue;
    const pid = Number(entry.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) rmSync(join(dirname(out), entry), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function filesUnder(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(relative(root, path).split('\\').join('/'));
    }
  };
  walk(root);
  return files.sort();
}
