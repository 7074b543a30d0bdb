import { existsSync, readdirSync, readFileSync, renameSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../../util/errors.js';
import { describesRequest, generateSynthCorpus, type SynthCorpusDescription } from './corpus.js';
import { SYNTH_VERSION, type SynthSizes } from './options.js';

export interface EnsureOptions {
  root: string;
  seed: number;
  sizes: SynthSizes;
  /** Generator version (default: the current one). */
  version?: number;
  /** Notes about generation (start, where); default: none. */
  log?: (message: string) => void;
  onProgress?: (done: number, total: number) => void;
  /** Regenerate even if a matching corpus exists. */
  force?: boolean;
}

export interface EnsureResult {
  description: SynthCorpusDescription;
  generated: boolean;
  seconds: number;
}

/**
 * The corpus at `root`, generated first if it is not there. Generation writes into a
 * sibling temporary folder that is renamed into place only when complete, so a killed
 * generation never leaves half a corpus; if another process finishes first, its corpus
 * is used and ours discarded. A folder that holds a different corpus is an error, never
 * silently overwritten.
 */
export function ensureSynthCorpus(options: EnsureOptions): EnsureResult {
  const { root, seed, sizes } = options;
  if (!options.force) {
    const existing = readExisting(root, seed, sizes, options.version ?? SYNTH_VERSION);
    if (existing !== undefined) return { description: existing, generated: false, seconds: 0 };
  }
  const parent = dirname(root);
  mkdirSync(parent, { recursive: true });
  const lock = takeGenerationLock(root);
  try {
    if (!options.force) {
      // Whoever held the lock before us may have made it.
      const made = readExisting(root, seed, sizes, options.version ?? SYNTH_VERSION);
      if (made !== undefined) return { description: made, generated: false, seconds: 0 };
    }
    return generateInto(root, options);
  } finally {
    rmSync(lock, { force: true });
  }
}

function generateInto(root: string, options: EnsureOptions): EnsureResult {
  const { seed, sizes } = options;
  removeAbandonedPartials(root);
  const partial = `${root}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  options.log?.(`generating the embedded corpus (generator v${options.version ?? SYNTH_VERSION}, seed ${seed}) into ${root}; this happens once.`);
  const started = performance.now();
  try {
    generateSynthCorpus({ outDir: partial, seed, version: options.version ?? SYNTH_VERSION, ...sizes, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
    if (options.force && existsSync(root)) {
      const trash = `${root}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
      renameSync(root, trash);
      rmSync(trash, { recursive: true, force: true });
    }
    renameSync(partial, root);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && !options.force) {
      // Another process put a corpus there first: use it if it is the one asked for.
      const theirs = readExisting(root, seed, sizes, options.version ?? SYNTH_VERSION);
      if (theirs !== undefined) return { description: theirs, generated: false, seconds: (performance.now() - started) / 1000 };
    }
    throw error;
  }
  const description = readExisting(root, seed, sizes, options.version ?? SYNTH_VERSION);
  if (description === undefined) throw new Error(`generated corpus at ${root} does not describe itself as requested`);
  return { description, generated: true, seconds: (performance.now() - started) / 1000 };
}

function readExisting(root: string, seed: number, sizes: SynthSizes, version: number): SynthCorpusDescription | undefined {
  if (!existsSync(root)) return undefined;
  const file = join(root, 'corpus.json');
  if (!existsSync(file)) {
    throw new UserError(`${root} exists but holds no corpus.json, so it is not a generated corpus. Remove the folder (or name another root) and the corpus will be generated there.`);
  }
  let description: SynthCorpusDescription;
  try {
    description = JSON.parse(readFileSync(file, 'utf8')) as SynthCorpusDescription;
  } catch (error) {
    throw new UserError(`${file}: unreadable (${(error as Error).message}). Remove ${root} to regenerate the corpus.`);
  }
  if (!describesRequest(description, seed, sizes, version)) {
    throw new UserError(
      `${file} describes another corpus (generator v${String(description.version)}, seed ${String(description.seed)}, sizes ${JSON.stringify(description.sizes)}) than the one asked for (v${version}, seed ${seed}, sizes ${JSON.stringify(sizes)}). Remove ${root}, or leave the root out so each request gets its own folder.`,
    );
  }
  return description;
}

/** Temporary folders left by generations whose process is gone (killed mid-way). */
/** How long to wait for another generation of the same corpus before giving up. */
const LOCK_PATIENCE_MS = 30 * 60 * 1000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * `<root>.lock`, created exclusively and holding our pid: the first of several callers
 * (worker threads of one run, or several runs) generates, the others wait and then read
 * its corpus, instead of each spending the generation time on the same files. A lock whose
 * process is gone (killed mid-generation) is taken over. Waiting is synchronous because
 * the adapter is; Atomics.wait sleeps without spinning, in worker threads and main alike.
 */
function takeGenerationLock(root: string): string {
  const lock = `${root}.lock`;
  const started = Date.now();
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return lock;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // An empty file is a lock being written right now: its owner is alive.
    const owner = Number(readTextOr(lock, '0')) || 0;
    if (owner > 0 && !isAlive(owner)) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() - started > LOCK_PATIENCE_MS) {
      throw new UserError(
        `${lock}: another process (pid ${owner}) has been generating this corpus for over ${LOCK_PATIENCE_MS / 60000} minutes. ` +
          'If no ablate is running, delete the lock file and run again.',
      );
    }
    Atomics.wait(sleeper, 0, 0, 200);
  }
}

function readTextOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function removeAbandonedPartials(root: string): void {
  const prefix = `${basename(root)}.partial-`;
  for (const name of readdirSync(dirname(root))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && !isAlive(pid)) rmSync(join(dirname(root), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
