import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../../src/data/datasets/index.js';
import { defaultSynthRoot, ensureSynthCorpus, resolveSizes, synthFolderName, SYNTH_VERSION } from '../../../src/data/synth/index.js';
import { runCli, startCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

const options = { trainPerClass: 2, devPerClass: 1, evalPerClass: 2, clipSeconds: 0.5 };

describe('the synth adapter and its corpus folder', () => {
  it('generates on first use under <results>/corpus, then reuses it', async () => {
    const results = tempDir();
    const notes: string[] = [];
    const items = await loadDataset({ name: 'synth', adapter: 'synth', options: { seed: 4, ...options } }, { resultsDir: results, warn: (m) => notes.push(m) });
    const root = defaultSynthRoot(results, 4, options);
    expect(root).toBe(join(results, 'corpus', synthFolderName(4, resolveSizes(options))));
    expect(synthFolderName(0, resolveSizes())).toBe(`synth-v${SYNTH_VERSION}-s0`);
    expect(synthFolderName(4, resolveSizes(options))).toMatch(new RegExp(`^synth-v${SYNTH_VERSION}-s4-[0-9a-f]{8}$`));
    expect(notes.join('\n')).toContain(`generating the embedded corpus (generator v${SYNTH_VERSION}, seed 4) into ${root}`);
    expect(items).toHaveLength(2 * (4 * 5 + 3 * 2));
    expect(new Set(items.map((i) => i.domain))).toEqual(new Set(['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7']));
    expect(items.every((i) => i.dataset === 'synth' && i.path.startsWith(root))).toBe(true);
    const stamp = statSync(join(root, 'corpus.json')).mtimeMs;
    const again: string[] = [];
    await loadDataset({ name: 'synth', adapter: 'synth', options: { seed: 4, ...options } }, { resultsDir: results, warn: (m) => again.push(m) });
    expect(again).toEqual([]);
    expect(statSync(join(root, 'corpus.json')).mtimeMs).toBe(stamp);
    // An explicit root works the same, and the domain option overrides d1..d7.
    const named = await loadDataset({ name: 'mine', adapter: 'synth', root, options: { seed: 4, ...options, domain: 'all' } }, { resultsDir: results });
    expect(named.every((i) => i.domain === 'all')).toBe(true);
  });

  it('refuses a folder holding another corpus or no corpus at all, and bad size options', async () => {
    const dir = tempDir();
    const root = join(dir, 'c');
    ensureSynthCorpus({ root, seed: 1, sizes: resolveSizes(options) });
    const other = loadDataset({ name: 's', adapter: 'synth', root, options: { seed: 2, ...options } });
    await expect(other).rejects.toThrow(/describes another corpus .*seed 1.* than the one asked for .*seed 2/);
    mkdirSync(join(dir, 'plain'));
    writeFileSync(join(dir, 'plain', 'x.txt'), '');
    await expect(loadDataset({ name: 's', adapter: 'synth', root: join(dir, 'plain') })).rejects.toThrow(/exists but holds no corpus.json/);
    await expect(loadDataset({ name: 's', adapter: 'synth', options: { evalPerClass: 0 } })).rejects.toThrow(/options.evalPerClass must be >= 1/);
    await expect(loadDataset({ name: 's', adapter: 'synth', options: { sampleRate: 12345 } })).rejects.toThrow(/options.sampleRate must be one of/);
  });

  it('a generation killed midway leaves no corpus, and the next run cleans up and completes', async () => {
    const dir = tempDir();
    const out = join(dir, 'corpus');
    // The default size takes far longer than the moment we kill it at.
    const child = startCli(['data', 'synth', '--out', out, '--seed', '9']);
    const started = Date.now();
    while (!readdirSync(dir).some((name) => name.startsWith('corpus.partial-') && existsSync(join(dir, name, 'd1')))) {
      if (Date.now() - started > 60_000) throw new Error('generation never started');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.startsWith('corpus.partial-'))).toHaveLength(1);
    const result = runCli(['data', 'synth', '--out', out, '--seed', '9', '--train-per-class', '1', '--dev-per-class', '1', '--eval-per-class', '1']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readdirSync(dir)).toEqual(['corpus']);
    expect(JSON.parse(readFileSync(join(out, 'corpus.json'), 'utf8'))).toMatchObject({ seed: 9, items: 2 * (4 * 3 + 3) });
  });
});

describe('concurrent generation', () => {
  it('two processes asking for the same corpus at once: one generates, the other waits and reads it', async () => {
    const dir = tempDir();
    const out = join(dir, 'corpus');
    const args = ['data', 'synth', '--out', out, '--seed', '3', '--train-per-class', '20', '--dev-per-class', '2', '--eval-per-class', '4'];
    const run = (): Promise<{ status: number | null; stdout: string; stderr: string }> =>
      new Promise((resolve) => {
        const child = startCli(args);
        let stdout = '';
        let stderr = '';
        child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.once('exit', (status) => resolve({ status, stdout, stderr }));
      });
    // Watch the folder: generating means a partial folder, so two at once would be two generations.
    let mostPartials = 0;
    const watcher = setInterval(() => {
      const partials = readdirSync(dir).filter((name) => name.startsWith('corpus.partial-')).length;
      mostPartials = Math.max(mostPartials, partials);
    }, 10);
    const results = await Promise.all([run(), run()]).finally(() => clearInterval(watcher));
    expect(mostPartials).toBe(1);
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
    // Exactly one wrote the corpus; the lock and any partial folder are gone.
    expect(results.filter((r) => /wrote \d+ clips/.test(r.stdout))).toHaveLength(1);
    expect(readdirSync(dir)).toEqual(['corpus']);
  });

  it('takes over the lock of a process that died', () => {
    const dir = tempDir();
    const root = join(dir, 'c');
    // A pid that cannot be alive (above Linux's pid_max).
    writeFileSync(`${root}.lock`, '99999999');
    const result = ensureSynthCorpus({ root, seed: 1, sizes: resolveSizes(options) });
    expect(result.generated).toBe(true);
    expect(readdirSync(dir)).toEqual(['c']);
  });
});

describe('ablate data synth', () => {
  it('says where it wrote, the counts and the time; a second run finds the corpus', () => {
    const results = tempDir();
    const args = ['data', 'synth', '--results', results, '--seed', '5', '--train-per-class', '2', '--dev-per-class', '1', '--eval-per-class', '2', '--clip-seconds', '0.5', '--stats'];
    const first = runCli(args);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const root = defaultSynthRoot(results, 5, { trainPerClass: 2, devPerClass: 1, evalPerClass: 2, clipSeconds: 0.5 });
    expect(first.stdout).toMatch(new RegExp(`wrote 52 clips \\([0-9.]+ MB\\) to ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} in [0-9.]+ s`));
    expect(first.stdout).toMatch(/d1\s+known\s+phase-reconstruction\s+2\/2\s+1\/1\s+2\/2/);
    expect(first.stdout).toMatch(/d6\s+unknown\s+smoothed-images\s+0\/0\s+0\/0\s+2\/2/);
    expect(first.stdout).toMatch(/d7\s+unknown\s+splicing\s+0\/0\s+0\/0\s+2\/2/);
    expect(first.stdout).toMatch(/d3\s+mirrorCorrelation \(higher\)/);
    const second = runCli(args.filter((a) => a !== '--stats'));
    expect(second.status).toBe(0);
    expect(second.stdout).toContain(`${root} already holds this corpus (52 clips)`);
    const bad = runCli(['data', 'synth', '--results', results, '--eval-per-class', '0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--eval-per-class 0: expected a whole number from 1 to 5000');
  });
});
