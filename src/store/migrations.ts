/**
 * The store's schema, one migration per version (PRAGMA user_version). A migration only
 * ever adds; finished results are never rewritten by one.
 */
export const migrations: string[] = [
  /* 1 */ `
  CREATE TABLE sweeps (
    name TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    description TEXT,
    spec TEXT NOT NULL,            -- the sweep file as validated (JSON), so resume needs no file
    axes TEXT NOT NULL,            -- varying parameters and their levels (JSON)
    registered_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE trials (
    id TEXT PRIMARY KEY,           -- hash of the canonical config
    kind TEXT NOT NULL,
    config TEXT NOT NULL,          -- canonical JSON; finished trials are immutable
    result_job TEXT NOT NULL,      -- the evaluation job whose scores are the trial's results
    created_at TEXT NOT NULL
  );
  CREATE TABLE sweep_trials (
    sweep TEXT NOT NULL REFERENCES sweeps(name),
    trial_id TEXT NOT NULL REFERENCES trials(id),
    position INTEGER NOT NULL,
    params TEXT NOT NULL,          -- the varying parameters of this trial (JSON)
    PRIMARY KEY (sweep, trial_id)
  );
  CREATE TABLE jobs (
    key TEXT PRIMARY KEY,          -- hash of the job's kind and inputs
    kind TEXT NOT NULL,
    inputs TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed', 'canceled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT,
    summary TEXT                   -- small JSON the job returned (best epoch, threshold...)
  );
  CREATE INDEX jobs_state ON jobs(state);
  CREATE TABLE job_deps (
    job TEXT NOT NULL REFERENCES jobs(key),
    dep TEXT NOT NULL REFERENCES jobs(key),
    PRIMARY KEY (job, dep)
  );
  CREATE TABLE trial_jobs (
    trial_id TEXT NOT NULL REFERENCES trials(id),
    job_key TEXT NOT NULL REFERENCES jobs(key),
    PRIMARY KEY (trial_id, job_key)
  );
  CREATE INDEX trial_jobs_job ON trial_jobs(job_key);
  CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    job_key TEXT NOT NULL REFERENCES jobs(key),
    number INTEGER NOT NULL,
    run_id TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    worker INTEGER,
    backend TEXT,
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'interrupted', 'canceled')),
    started_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL,
    ended_at TEXT,
    progress TEXT,                 -- latest progress (JSON): stage, epoch, loss...
    error TEXT,
    stack TEXT
  );
  CREATE INDEX attempts_job ON attempts(job_key);
  CREATE INDEX attempts_state ON attempts(state);
  CREATE TABLE artifacts (
    job_key TEXT NOT NULL REFERENCES jobs(key),
    name TEXT NOT NULL,
    path TEXT NOT NULL,            -- relative to the results folder
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (job_key, name)
  );
  CREATE TABLE epoch_metrics (
    job_key TEXT NOT NULL REFERENCES jobs(key),
    stage TEXT NOT NULL,
    epoch INTEGER NOT NULL,
    name TEXT NOT NULL,
    value REAL,
    attempt_id INTEGER REFERENCES attempts(id),
    PRIMARY KEY (job_key, stage, epoch, name)
  );
  CREATE TABLE scores (
    job_key TEXT NOT NULL REFERENCES jobs(key),
    dataset TEXT NOT NULL,         -- an evaluation set, or __known__ / __unknown__ / __all__
    grp TEXT NOT NULL CHECK (grp IN ('known', 'unknown', 'aggregate')),
    metric TEXT NOT NULL,
    value REAL,
    PRIMARY KEY (job_key, dataset, metric)
  );
  CREATE TABLE gate_weights (
    job_key TEXT NOT NULL REFERENCES jobs(key),
    dataset TEXT NOT NULL,
    expert INTEGER NOT NULL,
    expert_label TEXT NOT NULL,
    mean_weight REAL NOT NULL,
    selected_fraction REAL,
    PRIMARY KEY (job_key, dataset, expert)
  );
  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    type TEXT NOT NULL,
    sweep TEXT,
    job_key TEXT,
    attempt_id INTEGER,
    data TEXT
  );
  CREATE TABLE run_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    run_id TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    sweep TEXT,
    started_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
  );
  `,
  /* 2 */ `
  -- Each expert's own metrics inside a trained mixture (its own score on the evaluation
  -- items), beside the mixture's: how much the gate adds over its best expert (issue 16).
  CREATE TABLE expert_metrics (
    job_key TEXT NOT NULL REFERENCES jobs(key),
    dataset TEXT NOT NULL,
    expert INTEGER NOT NULL,
    expert_label TEXT NOT NULL,
    metric TEXT NOT NULL,
    value REAL,
    PRIMARY KEY (job_key, dataset, expert, metric)
  );
  `,
];
