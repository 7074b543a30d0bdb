/**
 * ablate's public API: what a notebook or script needs to plan a sweep, run it, open its
 * store, read its results and build its report. The list is explicit so that moving a
 * module inside src/ never changes what users import; the CLI is built on the same calls.
 */

// Plan a sweep: read, validate and expand a sweep file, then share its jobs.
export { planFromFile, loadSweep, expandSweep, planSweep } from './search/index.js';
export type { LoadedSweep, SearchSpace, Plan, JobSpec, JobKind, TrialPlan, Trial } from './search/index.js';

// Open a store: the SQLite database `ablate run` writes, and what it holds.
export { openDatabase, databasePath, listSweeps, getSweep, sweepTrials, sweepJobs } from './store/index.js';
export type { Db, SweepRow, TrialRow, JobRow, TrialState } from './store/index.js';
export { sweepStatus, type SweepStatus } from './status/sweep-status.js';

// Run a sweep on a pool of worker threads (resumable: rerunning runs only what is missing).
export { runSweep, type RunOptions, type RunOutcome } from './exec/run-sweep.js';
export { PlainReporter, QuietReporter } from './exec/reporters.js';
export type { ProgressReporter, RunSummary } from './exec/reporter.js';

// Load report data and build the report, or single figures and tables from it.
export { loadReportData, writeReport, buildFigures, gatingHeatmaps, renderSvg, renderPng, baseConfig, paperTable, tableToMarkdown } from './report/index.js';
export type { ReportData, ReportOptions, ReportSummary, Figure, VlSpec, PaperTable } from './report/index.js';

// Export rows: one per (trial, evaluation set), as `ablate export` prints them.
export { resultRows, metricOrder, type ResultRow } from './report/index.js';

export { UserError, isUserError } from './util/errors.js';
