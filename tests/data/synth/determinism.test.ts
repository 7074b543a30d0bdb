import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSynthCorpus } from '../../../src/data/synth/index.js';
import { sha256Hex } from '../../../src/util/hash.js';
import { tempDir } from '../../helpers/tmp.js';

const small = { trainPerClass: 2, devPerClass: 1, evalPerClass: 2, clipSeconds: 0.5 };

/** SHA-256 of every file of a folder, by relative path. */
function fileHashes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else out[`${prefix}${entry.name}`] = sha256Hex(readFileSync(join(dir, entry.name)));
    }
  };
  walk(root, '');
  return out;
}

describe('corpus determinism', () => {
  it('the same seed gives byte-identical files; another seed gives other files', () => {
    const dir = tempDir();
    const a = generateSynthCorpus({ outDir: join(dir, 'a'), seed: 7, ...small });
    const b = generateSynthCorpus({ outDir: join(dir, 'b'), seed: 7, ...small });
    const c = generateSynthCorpus({ outDir: join(dir, 'c'), seed: 8, ...small });
    expect(a.contentHash).toBe(b.contentHash);
    expect(fileHashes(join(dir, 'a'))).toEqual(fileHashes(join(dir, 'b')));
    expect(c.contentHash).not.toBe(a.contentHash);
    const hashesA = fileHashes(join(dir, 'a'));
    const hashesC = fileHashes(join(dir, 'c'));
    const wavs = Object.keys(hashesA).filter((p) => p.endsWith('.wav'));
    expect(wavs).toHaveLength(2 * (4 * 5 + 3 * 2));
    expect(wavs.every((p) => hashesA[p] !== hashesC[p])).toBe(true);
    // The content hash covers the manifest and every file.
    expect(a.contentHash).toBe(sha256Hex([sha256Hex(readFileSync(join(dir, 'a', 'manifest.csv'))), ...readFileSync(join(dir, 'a', 'manifest.csv'), 'utf8').trim().split('\n').slice(1).map((line) => hashesA[line.split(',')[1] as string])].join('\n')));
  });

  it('growing the corpus keeps every existing clip as it was', () => {
    const dir = tempDir();
    generateSynthCorpus({ outDir: join(dir, 'small'), seed: 3, ...small });
    generateSynthCorpus({ outDir: join(dir, 'large'), seed: 3, ...small, trainPerClass: 3, evalPerClass: 3 });
    const before = fileHashes(join(dir, 'small'));
    const after = fileHashes(join(dir, 'large'));
    for (const [path, hash] of Object.entries(before)) if (path.endsWith('.wav')) expect(after[path], path).toBe(hash);
    expect(Object.keys(after).length).toBeGreaterThan(Object.keys(before).length);
  });
});
