import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderScript } from '../../src/exec/slurm/script.js';
import { slurmSettings } from '../../src/exec/slurm/options.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Issue 15, item 8: the sbatch script put the node binary's path inside a double-quoted
 * `${ABLATE_NODE:-...}`, so a `$(...)` in that path ran when the script did.
 */
describe('sbatch script', () => {
  it('never runs shell code from the node path', () => {
    const dir = tempDir();
    const node = `${dir}/$(touch ${dir}/pwned)/\`touch ${dir}/pwned2\`/node`;
    const script = renderScript({
      sweep: 'tiny', submission: 's1', level: 1, levels: 1, jobs: [{ key: 'k', kind: 'features' }],
      manifest: join(dir, 'level-1.json'), logs: join(dir, 'logs'), workingDir: dir, dependency: null,
      settings: slurmSettings({}), command: { node, args: ['main.js'] },
    });
    const file = join(dir, 'job.sh');
    writeFileSync(file, script);
    const env: NodeJS.ProcessEnv = { ...process.env, SLURM_ARRAY_TASK_ID: '0' };
    delete env['ABLATE_NODE'];
    const run = spawnSync('bash', [file], { cwd: dir, env, encoding: 'utf8' });
    // exec fails (no such binary), naming the literal path; nothing in it ran.
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('$(touch');
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(existsSync(join(dir, 'pwned2'))).toBe(false);
  });
});
