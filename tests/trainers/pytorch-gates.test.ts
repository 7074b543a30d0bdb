import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { findTorchPython } from './support/python.js';
import { readItemMatrix } from '../../src/metrics/files/item-matrix.js';
import { readScoreFile } from '../../src/metrics/files/read-scores.js';
import { readTable } from '../../src/metrics/files/table.js';

const found = findTorchPython(['torch', 'torchaudio']);
if (found.python === null) console.warn(`skipping the PyTorch gate-analysis test: ${found.reason}`);
const env = { ABLATE_PYTHON: found.python ?? '' };

/** The per-item table a trainer wrote ("filename", then one column per expert), by item id. */
function trainerTable(file: string): Map<string, number[]> {
  const rows = [...readTable(file, 'trainer table').rows()].slice(1);
  return new Map(rows.map((row) => [row.fields[0] as string, row.fields.slice(1).map(Number)]));
}

describe.skipIf(found.python === null)('the PyTorch trainer stores what the gate analysis needs (issue 16 items 3, 7)', () => {
  it("per-item gate weights, each expert's own scores and metrics, and wall seconds per epoch", () => {
    const dir = tempDir('ablate-pytorch-gates-');
    const sweep = JSON.parse(readFileSync(join(repoRoot, 'sweeps', 'smoke.json'), 'utf8')) as Record<string, any>;
    delete sweep['$schema'];
    sweep['base'].data.datasets.synth.options = { trainPerClass: 8, devPerClass: 3, evalPerClass: 4 };
    sweep['base'].pretrain = { enabled: false };
    sweep['grid'] = { routing: [{ mode: 'topk', k: 1 }] };
    delete sweep['include'];
    const file = join(dir, 'smoke.json');
    writeFileSync(file, JSON.stringify(sweep));
    const results = join(dir, 'results');
    const run = runCli(['run', file, '--trainer', 'pytorch', '--results', results, '--workers', '2', '--quiet'], { env });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const db = new Database(join(results, 'ablate.db'), { readonly: true });
    const job = (db.prepare("SELECT result_job FROM trials WHERE kind = 'moe'").get() as { result_job: string }).result_job;
    const path = (name: string) => join(results, (db.prepare('SELECT path FROM artifacts WHERE job_key = ? AND name = ?').get(job, name) as { path: string }).path);
    for (const set of ['synth:d1', 'synth:d2', 'synth:d5']) {
      const ids = readScoreFile(path(`scores/${set}`)).ids;
      const name = set.replace(':', '_');
      // The stored binary gate weights are the trainer's TSV, in the score file's order.
      const gates = readItemMatrix(path(`gates/${set}`), ids.length, 2);
      const tsv = trainerTable(join(results, 'jobs', job, 'trainer', 'gates', `${name}.tsv`));
      ids.forEach((id, i) => [0, 1].forEach((e) => expect(gates[i * 2 + e]).toBeCloseTo(tsv.get(id)![e]!, 6)));
      const own = readItemMatrix(path(`expert-scores/${set}`), ids.length, 2);
      const ownTsv = trainerTable(join(results, 'jobs', job, 'trainer', 'expert-scores', `${name}.tsv`));
      ids.forEach((id, i) => [0, 1].forEach((e) => expect(own[i * 2 + e]).toBeCloseTo(ownTsv.get(id)![e]!, 4)));
      const metrics = db.prepare("SELECT expert, value FROM expert_metrics WHERE job_key = ? AND dataset = ? AND metric = 'eer' ORDER BY expert").all(job, set) as Array<{ value: number }>;
      expect(metrics).toHaveLength(2);
      for (const { value } of metrics) expect(value).toBeGreaterThanOrEqual(0);
    }
    const seconds = db.prepare("SELECT value FROM epoch_metrics WHERE name = 'seconds'").all() as Array<{ value: number }>;
    expect(seconds).toHaveLength(2); // the mixture's two epochs
    for (const { value } of seconds) expect(value).toBeGreaterThan(0);
    db.close();
  }, 300_000);
});
