import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { countMarks } from '../report/helpers/svg.js';
import { jobFileSchema } from '../../src/trainers/job-file.js';
import { fakeTrainerSection, jsonLines, runAblate, trainerSweep } from './helpers.js';

function reportFiles(results: string, sweep: string): string[] {
  const out = join(results, sweep, 'report');
  return ['figures', 'tables'].flatMap((dir) => readdirSync(join(out, dir)).map((file) => `${dir}/${file}`)).sort();
}

describe('a sweep trained by a command trainer', () => {
  it('runs to the end and reports the same artefacts as a built-in run, gating heatmaps included', () => {
    const dir = tempDir();
    const log = join(dir, 'trainer.log');
    const results = join(dir, 'results');
    const command = trainerSweep(dir, 'cmd', fakeTrainerSection({ FAKE_LOG: log }));
    const run = runAblate(['run', command, '--results', results, '--quiet']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('8/8 trials done');
    // 4 pre-trained experts (2 architectures x 2 seeds), 4 mixtures, 8 evaluations: one attempt each.
    const attempts = jsonLines<{ kind: string; attempt: number; resume: boolean; envResume: string }>(log);
    expect(attempts.filter((a) => a.kind === 'pretrain')).toHaveLength(4);
    expect(attempts.filter((a) => a.kind === 'train-moe')).toHaveLength(4);
    expect(attempts.filter((a) => a.kind === 'evaluate')).toHaveLength(8);
    expect(attempts.every((a) => a.attempt === 1 && a.resume === false && a.envResume === '0')).toBe(true);

    // Every job file the trainer read is valid against the published schema.
    const validate = new Ajv({ strict: false }).compile(jobFileSchema);
    const jobs = readdirSync(join(results, 'jobs')).filter((key) => !key.startsWith('features-'));
    for (const key of jobs) {
      const file = JSON.parse(readFileSync(join(results, 'jobs', key, 'job.json'), 'utf8')) as unknown;
      expect(validate(file), `${key}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    const evaluation = JSON.parse(readFileSync(join(results, 'jobs', jobs.find((k) => k.startsWith('evaluate-')) as string, 'job.json'), 'utf8')) as {
      data: { validation: unknown[]; evaluation: Array<{ name: string; items: Array<{ path: string; label: string }> }> };
    };
    expect(evaluation.data.evaluation.map((s) => s.name)).toEqual(['synth:d1', 'synth:d2', 'synth:d5']);
    expect(evaluation.data.evaluation[0]?.items).toHaveLength(6);
    expect(evaluation.data.evaluation[0]?.items[0]?.path).toMatch(/\.(wav|flac)$/);

    const builtin = trainerSweep(dir, 'builtin');
    const reference = runAblate(['run', builtin, '--results', results, '--quiet']);
    expect(reference.status, reference.stderr).toBe(0);
    for (const sweep of ['cmd', 'builtin']) {
      const report = runAblate(['report', sweep, '--results', results, '--format', 'svg']);
      expect(report.status, report.stderr).toBe(0);
    }
    const files = reportFiles(results, 'cmd');
    // The simulated stand-in for the built-in trainer invents gate weights for single experts
    // too; the real one (and the protocol) has gate weights only for mixtures.
    // The simulated one writes no per-item gate files either, so only the trainer's mixtures
    // get the heatmaps by class and attack.
    expect(files.filter((file) => !file.includes('gating-heatmap-by-attack-'))).toEqual(reportFiles(results, 'builtin').filter((file) => !file.includes('gating-heatmap-single-')));
    expect(files).toContain('figures/gating-heatmap-moe-soft.svg');
    expect(files).toContain('figures/gating-heatmap-by-attack-moe-soft.svg');
    // The trainer's per-item gate weights, averaged by ablate: 3 evaluation sets x 2 experts.
    const heatmap = readFileSync(join(results, 'cmd', 'report', 'figures', 'gating-heatmap-moe-soft.svg'), 'utf8');
    expect(countMarks(heatmap, 'cells')).toBe(3 * 2);
    // Its epoch events reach the training curves: 2 experts + the mixture, 2 epochs, loss and validation EER.
    const curves = readFileSync(join(results, 'cmd', 'report', 'figures', 'training-curves-moe-soft.svg'), 'utf8');
    expect(countMarks(curves, 'epochs')).toBe(3 * 2 * 2);

    // ablate computed the metrics from the trainer's score files: an EER per set and aggregate.
    const exported = runAblate(['export', 'cmd', '--results', results, '--format', 'json']);
    const rows = JSON.parse(exported.stdout) as Array<{ dataset: string; metrics: { eer: number | null } }>;
    expect(rows).toHaveLength(8 * 6);
    expect(rows.every(({ metrics: { eer } }) => typeof eer === 'number' && eer >= 0 && eer <= 1)).toBe(true);
  });
});
