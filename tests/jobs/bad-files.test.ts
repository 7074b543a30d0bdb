import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { encodeWav16 } from '../../src/data/synth/wav.js';
import { Rng } from '../../src/util/rng.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { writeSweep } from '../search/sweep-fixtures.js';

/**
 * A CSV-manifest dataset of short noise clips (bona fide quieter than spoof, so there is
 * something to learn) with unusable files among its evaluation items: each kind a user
 * has put in a manifest by mistake.
 */
function corpusWithBadFiles(root: string): { manifest: string; bad: string[] } {
  const rng = new Rng(15);
  const rows = ['path,label,split'];
  mkdirSync(join(root, 'audio'));
  for (const split of ['train', 'dev', 'eval']) {
    for (const label of ['bonafide', 'spoof']) {
      for (let i = 0; i < 4; i++) {
        const samples = Float32Array.from({ length: 8000 }, () => (rng.uniform() - 0.5) * (label === 'spoof' ? 0.8 : 0.1));
        const path = `audio/${split}-${label}-${i}.wav`;
        writeFileSync(join(root, path), encodeWav16(samples, 16000));
        rows.push(`${path},${label},${split}`);
      }
    }
  }
  const good = readFileSync(join(root, 'audio', 'eval-spoof-0.wav'));
  writeFileSync(join(root, 'audio', 'empty.wav'), '');
  writeFileSync(join(root, 'audio', 'truncated.wav'), good.subarray(0, 30));
  writeFileSync(join(root, 'audio', 'notes.wav'), 'these are not samples\n');
  mkdirSync(join(root, 'audio', 'folder.wav'));
  // Valid-looking: a float WAV with one finite sample near the float maximum.
  const float = readFileSync(join(repoRoot, 'tests', 'fixtures', 'audio', 'float32-16k.wav'));
  float.writeFloatLE(3e38, float.indexOf('data') + 8 + 4 * 100);
  writeFileSync(join(root, 'audio', 'huge.wav'), float);
  const bad = [join(root, 'audio', 'empty.wav'), join(root, 'audio', 'truncated.wav'), join(root, 'audio', 'notes.wav'), '/etc/passwd', join(root, 'audio', 'folder.wav'), join(root, 'audio', 'huge.wav')];
  for (const path of bad) rows.push(`${path},spoof,eval`);
  const manifest = join(root, 'manifest.csv');
  writeFileSync(manifest, rows.join('\n') + '\n');
  return { manifest, bad };
}

function sweep(dir: string, manifest: string, onBadFile?: 'skip' | 'fail'): string {
  const mel = { kind: 'mel', nFft: 256, winLength: 256, hopLength: 128, nMels: 16 };
  const tiny = { epochs: 1, lr: 0.003, batchSize: 8, patience: 5 };
  return writeSweep(dir, {
    name: 'bad-files',
    features: { mel },
    base: {
      kind: 'single',
      experts: [{ arch: 'lcnn', features: 'mel', width: 0.125, embeddingDim: 8 }],
      pretrain: tiny,
      data: {
        sampleRate: 16000,
        clipSeconds: 0.5,
        datasets: { mine: { adapter: 'csv', root: manifest, ...(onBadFile ? { onBadFile } : {}) } },
        train: ['mine'],
        evaluate: { known: ['mine'] },
      },
    },
    seeds: [0],
  }, `bad-files-${onBadFile ?? 'default'}.json`);
}

describe('unusable audio in a dataset: onBadFile', () => {
  it('by default stops the job naming the file and the option that skips such files', () => {
    const dir = tempDir();
    const { manifest } = corpusWithBadFiles(dir);
    const results = join(dir, 'results');
    const run = runCli(['run', sweep(dir, manifest), '--results', results, '--workers', '1', '--max-attempts', '1']);
    expect(run.status, run.stderr).toBe(1);
    const status = runCli(['status', 'bad-files', '--results', results]);
    expect(status.stdout).toContain(`${join(dir, 'audio', 'empty.wav')}: empty file (0 bytes)`);
    expect(status.stdout).toContain('set datasets.mine.onBadFile to "skip"');
  });

  it('a valid-looking float WAV with a sample near 3e38 fails its job naming the file, not the learning rate', () => {
    const dir = tempDir();
    const { manifest, bad } = corpusWithBadFiles(dir);
    const huge = bad[5] as string;
    writeFileSync(manifest, readFileSync(manifest, 'utf8').split('\n').filter((row) => !bad.slice(0, 5).some((path) => row.startsWith(`${path},`))).join('\n'));
    const results = join(dir, 'results');
    expect(runCli(['run', sweep(dir, manifest), '--results', results, '--workers', '1', '--max-attempts', '1']).status).toBe(1);
    const status = runCli(['status', 'bad-files', '--results', results]);
    expect(status.stdout).toContain(`${huge}: corrupt audio: sample 100 is 3.000e+38, beyond any audio encoding's full scale`);
    expect(status.stdout).not.toMatch(/learning rate|NaN loss/i);
  });

  it('"skip" leaves them out and says how many and which: run output, status, events and report', () => {
    const dir = tempDir();
    const { manifest, bad } = corpusWithBadFiles(dir);
    const results = join(dir, 'results');
    const run = runCli(['run', sweep(dir, manifest, 'skip'), '--results', results, '--workers', '1']);
    expect(run.status, run.stderr).toBe(0);
    // The evaluation set lists 8 good files and 6 bad ones.
    const line = `mine (eval): 6 of 14 file(s) skipped (onBadFile: skip): ${bad[0]} (empty file (0 bytes)); ${bad[1]} (truncated or corrupt WAV`;
    // As it happens (a note while the run goes on) and again in the final summary.
    expect(run.stdout.split('\n').some((l) => l.startsWith('note') && l.includes(line))).toBe(true);
    expect(run.stdout).toContain('Unusable audio files were left out of 1 data set(s)');
    expect(run.stdout).toContain('; and 1 more');
    expect(run.stdout).not.toContain(bad[5]);
    for (const path of bad.slice(0, 5)) expect(run.stdout).toContain(path);

    const status = runCli(['status', 'bad-files', '--results', results]);
    expect(status.status).toBe(0);
    expect(status.stdout).toContain('skipped files (onBadFile: skip):');
    expect(status.stdout).toContain(line);
    const json = JSON.parse(runCli(['status', 'bad-files', '--results', results, '--json']).stdout) as { skippedFiles: Array<{ set: string; count: number; total: number }> };
    expect(json.skippedFiles).toMatchObject([{ set: 'mine', split: 'eval', count: 6, total: 14 }]);

    const db = new Database(join(results, 'ablate.db'), { readonly: true });
    const events = db.prepare("SELECT data FROM events WHERE type = 'files-skipped'").all() as Array<{ data: string }>;
    db.close();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.data)).toEqual([{ set: 'mine', split: 'eval', total: 14, count: 6, examples: expect.any(Array) }]);

    const out = join(dir, 'report');
    expect(runCli(['report', 'bad-files', '--results', results, '--out', out, '--format', 'html']).status).toBe(0);
    const page = readFileSync(join(out, 'index.html'), 'utf8');
    expect(page).toContain('<h3>Skipped files</h3>');
    expect(page).toContain(`mine (eval): 6 of 14 file(s) skipped`);
  });
});
