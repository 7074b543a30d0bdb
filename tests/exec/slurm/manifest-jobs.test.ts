import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

describe('a Slurm manifest task', () => {
  it('whose job kind the protocol does not know is refused with the file, the task and the kinds, before anything runs', () => {
    const dir = tempDir();
    const file = join(dir, 'level-0.json');
    const task = { index: 0, job: { key: 'train-moe-0123456789abcdef', kind: 'trian-moe', inputs: {}, deps: [] }, trials: [] };
    writeFileSync(file, JSON.stringify({ format: 'ablate-slurm-manifest', version: 1, sweep: 's', resultsDir: join(dir, 'results'), runnerModule: 'noop', tasks: [task] }));
    const run = runCli(['worker', '--manifest', file, '--index', '0']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${file}: tasks[0].job should be a job with key, kind (features, pretrain, train-moe, evaluate, probe), inputs and deps`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
