import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { writeSweep } from '../../search/sweep-fixtures.js';

export { simEnv, simulatedRunner, lines, waitFor, exited } from '../sim-helpers.js';

/**
 * Two MoE trials (soft and top-1 routing) over two pre-trained experts: 9 jobs in four
 * dependency levels (3 features: the training data's and each evaluation set's, 2 pretrain,
 * 2 train-moe, 2 evaluate).
 */
export function tinySweep(dir: string, name = 'tiny'): string {
  return writeSweep(
    dir,
    {
      name,
      base: {
        experts: [
          { arch: 'lcnn', features: { kind: 'mel', nMels: 24 } },
          { arch: 'resnet', features: { kind: 'mel', nMels: 24 } },
        ],
        data: { datasets: { synth: { adapter: 'synth' } }, train: ['synth:d1', 'synth:d2'], evaluate: { known: ['synth:d1'], unknown: ['synth:d5'] } },
      },
      grid: { routing: [{ mode: 'soft' }, { mode: 'topk', k: 1 }] },
      seeds: [0],
    },
    `${name}.json`,
  );
}

/** Every table of the store, every row, in a stable order: two dumps are equal iff the stores are. */
export function dumpStore(results: string): Record<string, unknown[]> {
  const db = new Database(join(results, 'ablate.db'), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
  } finally {
    db.close();
  }
}

export function query<T>(results: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(results, 'ablate.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Parsed heartbeat files of a sweep (attempt, progress, Slurm task ids). */
export function heartbeats(results: string, sweep = 'tiny'): Array<{ jobKey: string; attempt: string; progress?: { epoch?: number }; slurm: { arrayJobId: string | null; arrayTaskId: number | null } }> {
  const dir = join(results, 'slurm', sweep, 'heartbeat');
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    try {
      out.push(JSON.parse(readFileSync(join(dir, name), 'utf8')));
    } catch {
      // Removed between the listing and the read: the attempt just ended.
    }
  }
  return out;
}

export function resultRecord(results: string, jobKey: string, sweep = 'tiny'): { attempts: Array<{ state: string; reason?: string; error?: string; final?: boolean; slurm: { restartCount: number } }>; result?: unknown } | null {
  const file = join(results, 'slurm', sweep, 'results', `${jobKey}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

/** Executions and epochs the simulated runner logged: "<job key> <n>" lines. */
export function logCounts(results: string, file: 'sim-runs.log' | 'sim-epochs.log'): Map<string, number> {
  const counts = new Map<string, number>();
  const path = join(results, file);
  if (!existsSync(path)) return counts;
  for (const line of readFileSync(path, 'utf8').split('\n').filter(Boolean)) {
    const key = file === 'sim-runs.log' ? (line.split(' ')[0] as string) : line;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Whether a Slurm cluster answers here (scripts/slurm-up.sh starts one). With
 * ABLATE_REQUIRE_SLURM=1 (CI) a missing cluster fails the test instead of skipping it.
 */
export function slurmAvailability(): { ok: true } | { ok: false; reason: string } {
  const ping = spawnSync('scontrol', ['ping'], { encoding: 'utf8', timeout: 15_000 });
  if ((ping.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return { ok: false, reason: 'Slurm client commands are not installed (apt-get install slurm-wlm; then sudo scripts/slurm-up.sh)' };
  if (ping.error) return { ok: false, reason: `scontrol ping did not answer (${ping.error.message}); start a cluster with sudo scripts/slurm-up.sh` };
  if (!/is UP/.test(ping.stdout)) return { ok: false, reason: `no Slurm controller answers (scontrol ping: ${(ping.stdout + ping.stderr).trim().split('\n')[0]}); start one with sudo scripts/slurm-up.sh` };
  const sinfo = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8', timeout: 15_000 });
  if (!/^(idle|mixed|allocated|completing)/m.test(sinfo.stdout)) return { ok: false, reason: `no Slurm node is up (sinfo: ${sinfo.stdout.trim() || sinfo.stderr.trim()}); see scripts/slurm-up.sh` };
  return { ok: true };
}
