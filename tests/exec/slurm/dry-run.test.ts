import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';
import { simEnv, tinySweep } from './helpers.js';

describe('ablate run --executor slurm --dry-run (no Slurm needed)', () => {
  it('prints one job array per dependency level, chained with afterok, and writes nothing', () => {
    const dir = tempDir();
    const sweep = tinySweep(dir);
    const results = join(dir, 'results');
    const args = ['run', sweep, '--results', results, '--executor', 'slurm', '--dry-run', '--partition', 'gpu', '--gpus-per-task', '1', '--time', '2:00:00', '--max-parallel', '3', '--sbatch-arg=--mem=16G', '--sbatch-arg=--account=proj'];
    const out = runCli(args, { env: simEnv() });
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/Dry run: 9 job\(s\) of tiny in 4 array\(s\); 0 done/);
    const scripts = out.stdout.split(/\n# ---- .*level-\d\.sbatch ----\n/).slice(1);
    expect(scripts).toHaveLength(4);
    // features -> pretrain -> train-moe -> evaluate, one array each, 3, 2, 2 and 2 tasks.
    expect(scripts.map((s) => /#SBATCH --array=(\S+)/.exec(s)?.[1])).toEqual(['0-2%3', '0-1%3', '0-1%3', '0-1%3']);
    expect(scripts.map((s) => /level \d of 4 \(\d job\(s\): ([a-z-]+)\)/.exec(s)?.[1])).toEqual(['features', 'pretrain', 'train-moe', 'evaluate']);
    expect(scripts[0]).not.toMatch(/--dependency/);
    expect(scripts[1]).toMatch(/#SBATCH --dependency=afterok:<level-1-job-id>\n#SBATCH --kill-on-invalid-dep=yes/);
    // Evaluation reads the mixtures and the feature cache: it waits for both arrays.
    expect(scripts[3]).toMatch(/#SBATCH --dependency=afterok:<level-3-job-id>:<level-1-job-id>/);
    for (const script of scripts) {
      expect(script.startsWith('#!/bin/bash\n')).toBe(true);
      for (const line of ['--partition=gpu', '--gpus-per-task=1', '--time=2:00:00', '--mem=16G', '--account=proj', '--requeue', '--signal=B:USR1@300', '--ntasks=1']) {
        expect(script).toContain(`#SBATCH ${line}\n`);
      }
      expect(script).toMatch(new RegExp(`#SBATCH --output=${results}/slurm/tiny/logs/%x-%A_%a.out`));
      expect(script).toMatch(/\nablate_node=\S*node\nexec "\$\{ABLATE_NODE:-\$ablate_node\}" --import \S+tsx\S+ --import \S+early-signals-preload\.ts \S+\/src\/cli\/main\.ts worker --manifest \S+\/level-\d\.json --index "\$SLURM_ARRAY_TASK_ID"\n/);
    }
    expect(existsSync(results)).toBe(false);
  });

  it('rejects bad Slurm options with the option, the expected form and exit code 2', () => {
    const dir = tempDir();
    const sweep = tinySweep(dir);
    const cases: Array<[string[], RegExp]> = [
      [['--executor', 'slurm', '--dry-run', '--time', '2h'], /--time 2h: expected a Slurm time limit: minutes \(90\)/],
      [['--executor', 'slurm', '--dry-run', '--max-parallel', '0'], /--max-parallel 0: expected a whole number of tasks, at least 1/],
      [['--executor', 'slurm', '--dry-run', '--sbatch-arg=mem=4G'], /--sbatch-arg "mem=4G": expected one sbatch option such as --mem=16G/],
      [['--partition', 'gpu'], /--partition only apply with --executor slurm/],
    ];
    for (const [extra, message] of cases) {
      const out = runCli(['run', sweep, '--results', join(dir, 'results'), ...extra], { env: simEnv() });
      expect(out.status).toBe(2);
      expect(out.stderr).toMatch(message);
      expect(out.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
