import { canonicalJson } from '../util/hash.js';
import { trialView, type Plan } from '../search/index.js';
import { now, type Db } from './database.js';
import { logEvent } from './events.js';
import { trialDefaults } from '../config/resolve-trial.js';

export interface Registration {
  addedTrials: number;
  addedJobs: number;
  trials: number;
  jobs: number;
  /** Trials the sweep had in this store that its current file no longer has (null when none). */
  removed: RemovedTrials | null;
}

export interface RemovedTrials {
  trials: number;
  /** Of those, how many had finished. */
  done: number;
  /** The stored sweep that keeps the membership as it was before this change. */
  keptAs: string;
}

/**
 * Record a sweep's plan. Idempotent: trials and jobs are keyed by content hash and inserted
 * only when new, so registering the same sweep twice changes nothing and a changed sweep
 * adds only its new trials and jobs. The sweep's membership follows the current plan;
 * trials that left it keep their results, and so that those stay reachable by name the
 * membership as it was is kept as a sweep of its own, `<name>.before-<UTC time>`, which
 * status, export, report and compare read like any other.
 */
export function registerPlan(db: Db, plan: Plan, spec: unknown): Registration {
  const stamp = now();
  const insertTrial = db.prepare('INSERT OR IGNORE INTO trials (id, kind, config, result_job, created_at) VALUES (?, ?, ?, ?, ?)');
  const insertJob = db.prepare("INSERT OR IGNORE INTO jobs (key, kind, inputs, state, created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?)");
  const insertDep = db.prepare('INSERT OR IGNORE INTO job_deps (job, dep) VALUES (?, ?)');
  const insertTrialJob = db.prepare('INSERT OR IGNORE INTO trial_jobs (trial_id, job_key) VALUES (?, ?)');
  // A trial whose job keys changed (an upgrade: issue 16 left evaluation out of the training
  // keys) keeps showing its stored result until the new evaluation is done; then it follows it.
  const followResult = db.prepare(
    `UPDATE trials SET result_job = ? WHERE id = ? AND result_job <> ?
       AND (COALESCE((SELECT state FROM jobs WHERE key = trials.result_job), '') <> 'done' OR (SELECT state FROM jobs WHERE key = ?) = 'done')`,
  );
  const insertMember = db.prepare(
    `INSERT INTO sweep_trials (sweep, trial_id, position, params) VALUES (?, ?, ?, ?)
     ON CONFLICT(sweep, trial_id) DO UPDATE SET position = excluded.position, params = excluded.params`,
  );
  const { space } = plan;
  return db
    .transaction((): Registration => {
      const existing = db.prepare('SELECT spec FROM sweeps WHERE name = ?').get(space.name) as { spec: string } | undefined;
      // As written, not canonical: key order is the order of the grid's axes, which `resume`
      // must keep to list trials in the same order.
      const specText = JSON.stringify(spec);
      // Copied before anything changes; dropped again below if no trial left the sweep.
      const keptAs = existing && existing.spec !== specText ? keepPreviousMembership(db, space.name, stamp) : null;
      db.prepare(
        `INSERT INTO sweeps (name, file, description, spec, axes, registered_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET file = excluded.file, description = excluded.description, spec = excluded.spec,
           axes = excluded.axes, updated_at = CASE WHEN sweeps.spec = excluded.spec THEN sweeps.updated_at ELSE excluded.updated_at END`,
      ).run(space.name, space.file, (spec as { description?: string }).description ?? null, specText, JSON.stringify(space.varying), stamp, stamp);
      let addedJobs = 0;
      for (const job of plan.jobs.values()) {
        addedJobs += insertJob.run(job.key, job.kind, JSON.stringify(job.inputs), stamp, stamp).changes;
      }
      for (const job of plan.jobs.values()) for (const dep of job.deps) insertDep.run(job.key, dep);
      let addedTrials = 0;
      const members = new Set<string>();
      space.trials.forEach((trial, position) => {
        const trialPlan = plan.trials.get(trial.id);
        if (!trialPlan) return;
        addedTrials += insertTrial.run(trial.id, trial.config.kind ?? trialDefaults.kind, canonicalJson(trial.config), trialPlan.result, stamp).changes;
        followResult.run(trialPlan.result, trial.id, trialPlan.result, trialPlan.result);
        for (const key of trialPlan.jobs) insertTrialJob.run(trial.id, key);
        const view = trialView(trial.config);
        const params: Record<string, unknown> = {};
        for (const { path } of space.varying) if (path in view) params[path] = view[path];
        insertMember.run(space.name, trial.id, position, JSON.stringify(params));
        members.add(trial.id);
      });
      const stale = (db.prepare('SELECT trial_id FROM sweep_trials WHERE sweep = ?').all(space.name) as Array<{ trial_id: string }>).filter(
        (r) => !members.has(r.trial_id),
      );
      const removeMember = db.prepare('DELETE FROM sweep_trials WHERE sweep = ? AND trial_id = ?');
      for (const row of stale) removeMember.run(space.name, row.trial_id);
      let removed: RemovedTrials | null = null;
      if (keptAs !== null && stale.length === 0) {
        db.prepare('DELETE FROM sweep_trials WHERE sweep = ?').run(keptAs);
        db.prepare('DELETE FROM sweeps WHERE name = ?').run(keptAs);
      } else if (keptAs !== null) {
        const done = db.prepare("SELECT COUNT(*) AS n FROM trials t JOIN jobs j ON j.key = t.result_job WHERE t.id = ? AND j.state = 'done'");
        removed = { trials: stale.length, done: stale.reduce((sum, row) => sum + (done.get(row.trial_id) as { n: number }).n, 0), keptAs };
      }
      if (!existing || existing.spec !== specText || addedTrials > 0 || addedJobs > 0) {
        logEvent(db, {
          type: existing ? 'sweep-updated' : 'sweep-registered',
          sweep: space.name,
          data: { addedTrials, addedJobs, removedFromSweep: stale.length, ...(removed ? { removedDone: removed.done, keptAs: removed.keptAs } : {}) },
        });
      }
      return { addedTrials, addedJobs, trials: space.trials.length, jobs: plan.jobs.size, removed };
    })
    .immediate();
}

/** Whether a stored sweep is one registerPlan kept (read-only: its spec still names the sweep it came from). */
export function isKeptMembership(name: string): boolean {
  return /\.before-\d{8}T\d{6}Z(-\d+)?$/.test(name);
}

/** Copy a sweep's row and membership under a new name, `<name>.before-<UTC time>` (unique). */
function keepPreviousMembership(db: Db, name: string, stamp: string): string {
  const base = `${name}.before-${stamp.replace(/[-:]/g, '').replace(/\.\d+/, '')}`;
  let keptAs = base;
  for (let n = 2; db.prepare('SELECT 1 FROM sweeps WHERE name = ?').get(keptAs); n++) keptAs = `${base}-${n}`;
  db.prepare('INSERT INTO sweeps (name, file, description, spec, axes, registered_at, updated_at) SELECT ?, file, description, spec, axes, registered_at, updated_at FROM sweeps WHERE name = ?').run(keptAs, name);
  db.prepare('INSERT INTO sweep_trials (sweep, trial_id, position, params) SELECT ?, trial_id, position, params FROM sweep_trials WHERE sweep = ?').run(keptAs, name);
  return keptAs;
}
