import type { SkippedFiles } from './records.js';

/** How many skipped files a report names; the count is always complete. */
export const SKIPPED_EXAMPLES = 5;

/**
 * What a data set lost under `onBadFile: "skip"`. Only the features job reports it: it
 * reads every set a trial uses, and the later jobs read the same shards, so the same
 * files are reported once per front end rather than once per job.
 */
export function skippedReport(set: string, split: string, total: number, skipped: ReadonlyArray<{ path: string; reason: string }>): SkippedFiles {
  return { set, split, total, count: skipped.length, examples: skipped.slice(0, SKIPPED_EXAMPLES).map((s) => ({ path: s.path, reason: s.reason })) };
}

/** One line per set: `synth:d1 (eval): 3 of 40 files skipped: a.wav (empty file), ...`. */
export function skippedLines(reports: readonly SkippedFiles[]): string[] {
  return reports.map((r) => {
    const named = r.examples.map((e) => `${e.path} (${e.reason})`).join('; ');
    const more = r.count > r.examples.length ? `; and ${r.count - r.examples.length} more` : '';
    return `${r.set} (${r.split}): ${r.count} of ${r.total} file(s) skipped (onBadFile: skip): ${named}${more}`;
  });
}

/**
 * Reports of the same set (one per front end that read it, or per run) merged into one:
 * the same files are unusable whatever reads them, so the largest report stands.
 */
export function mergeSkipped(reports: Iterable<SkippedFiles>): SkippedFiles[] {
  const bySet = new Map<string, SkippedFiles>();
  for (const report of reports) {
    const key = `${report.set}\n${report.split}`;
    const seen = bySet.get(key);
    if (!seen || report.count > seen.count) bySet.set(key, report);
  }
  return [...bySet.values()];
}
