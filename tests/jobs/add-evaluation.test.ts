import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';
import { tinyData, tinyLcnn, tinySweep, tinyTraining } from './tiny-sweeps.js';


function sweepWith(dir: string, evaluate: Record<string, unknown>): string {
  return tinySweep(
    dir,
    'add-eval',
    { kind: 'moe', localisation: 'mele', experts: [tinyLcnn], pretrain: tinyTraining, train: tinyTraining, data: { ...tinyData, evaluate } },
    { include: [{ kind: 'single' }] },
  );
}

interface Ran {
  kind: string;
  set: string | null;
}

/** The jobs whose attempts started in runs after the first `skip` runs, by kind. */
function jobsRanAfter(results: string, firstRunIds: Set<string>): Ran[] {
  const db = new Database(join(results, 'ablate.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT a.run_id, j.kind, j.inputs FROM attempts a JOIN jobs j ON j.key = a.job_key').all() as Array<{ run_id: string; kind: string; inputs: string }>;
    return rows
      .filter((r) => !firstRunIds.has(r.run_id))
      .map((r) => ({ kind: r.kind, set: (JSON.parse(r.inputs) as { evaluationSet?: string }).evaluationSet ?? null }));
  } finally {
    db.close();
  }
}

function runIds(results: string): Set<string> {
  const db = new Database(join(results, 'ablate.db'), { readonly: true });
  try {
    return new Set((db.prepare('SELECT DISTINCT run_id FROM attempts').all() as Array<{ run_id: string }>).map((r) => r.run_id));
  } finally {
    db.close();
  }
}

function exported(results: string): Array<Record<string, unknown>> {
  const out = runCli(['export', 'add-eval', '--results', results, '--format', 'json']);
  expect(out.status, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as Array<Record<string, unknown>>;
}

describe('evaluation never changes training (issue 16, item 1; real training)', () => {
  it('adding an evaluation set to a finished sweep runs only the evaluations and the new set\'s features', () => {
    const dir = tempDir();
    const results = join(dir, 'results');
    const first = runCli(['run', sweepWith(dir, { known: ['synth:d1', 'synth:d2'], unknown: ['synth:d5'] }), '--results', results, '--backend', 'wasm', '--workers', '2', '--quiet']);
    expect(first.status, first.stderr).toBe(0);
    const before = exported(results);
    const firstRuns = runIds(results);
    expect(jobsRanAfter(results, new Set()).length).toBeGreaterThan(4);

    const second = runCli(['run', sweepWith(dir, { known: ['synth:d1', 'synth:d2'], unknown: ['synth:d5', 'synth:d6'] }), '--results', results, '--backend', 'wasm', '--workers', '2', '--quiet']);
    expect(second.status, second.stderr).toBe(0);
    const ran = jobsRanAfter(results, firstRuns);
    // Three trials (the MELE mixture and one single expert per domain): three evaluations,
    // and one feature job (one front end, one new set); no features, pre-training or mixture training.
    expect(ran.filter((r) => r.kind === 'evaluate').length).toBe(3);
    expect(ran.filter((r) => r.kind === 'features')).toEqual([{ kind: 'features', set: 'synth:d6' }]);
    expect(ran.length).toBe(4);

    // The same trained models score the sets evaluated before exactly as they did.
    const after = exported(results);
    const configuration = (r: Record<string, unknown>) => `${String(r['kind'])} ${JSON.stringify((r['params'] as Record<string, unknown>)['expertSet'])}`;
    const eer = (rows: Array<Record<string, unknown>>, which: string, dataset: string) =>
      (rows.find((r) => configuration(r) === which && r['dataset'] === dataset)?.['metrics'] as Record<string, unknown> | undefined)?.['eer'];
    const configurations = [...new Set(before.map(configuration))];
    expect(configurations.length).toBe(3);
    for (const which of configurations) {
      for (const dataset of ['synth:d1', 'synth:d2', 'synth:d5']) {
        expect(eer(before, which, dataset), `${which} ${dataset}`).toBeTypeOf('number');
        expect(eer(after, which, dataset), `${which} ${dataset}`).toBe(eer(before, which, dataset));
      }
      expect(eer(after, which, 'synth:d6')).toBeTypeOf('number');
    }
  });
});
