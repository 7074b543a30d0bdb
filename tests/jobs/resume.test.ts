import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/tmp.js';
import { runCli, startCli } from '../helpers/cli.js';
import { tinyMileSweep } from './tiny-sweeps.js';

function exportJson(results: string): string {
  const result = runCli(['export', 'tiny-mile', '--results', results, '--format', 'json']);
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('determinism of an interrupted sweep (real training)', () => {
  it('kill -9 during pre-training, then resume: the same metrics as an uninterrupted run, bit for bit', async () => {
    const dir = tempDir();
    const sweep = tinyMileSweep(dir);
    const reference = join(dir, 'reference');
    const uninterrupted = runCli(['run', sweep, '--results', reference, '--backend', 'wasm', '--workers', '2', '--quiet']);
    expect(uninterrupted.status).toBe(0);

    const results = join(dir, 'interrupted');
    const child = startCli(['run', sweep, '--results', results, '--backend', 'wasm', '--workers', '1']);
    let output = '';
    let killedJob: string | undefined;
    await new Promise<void>((resolve) => {
      child.stdout?.on('data', (chunk) => {
        output += String(chunk);
        // A job reporting epoch 2 has checkpointed epoch 1: kill it there.
        const match = /(pretrain-[0-9a-f]+)\s+pretrain epoch 2\/2/.exec(output);
        if (match && !killedJob) {
          killedJob = match[1];
          child.kill('SIGKILL');
        }
      });
      child.on('exit', () => resolve());
    });
    expect(killedJob).toBeDefined();

    const resumed = runCli(['resume', 'tiny-mile', '--results', results, '--backend', 'wasm', '--workers', '2', '--quiet']);
    expect(resumed.status).toBe(0);
    const db = new Database(join(results, 'ablate.db'), { readonly: true });
    const attempts = db.prepare('SELECT state FROM attempts WHERE job_key = ? ORDER BY number').all(killedJob) as Array<{ state: string }>;
    expect(attempts.map((a) => a.state)).toEqual(['interrupted', 'done']);
    const summary = JSON.parse((db.prepare('SELECT summary FROM jobs WHERE key = ?').get(killedJob) as { summary: string }).summary);
    expect(summary.resumedFromEpoch).toBe(1);
    db.close();

    expect(exportJson(results)).toBe(exportJson(reference));
  });
});
