import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSynthCorpus, SYNTH_VERSION, synthFolderName, resolveSizes } from '../../../src/data/synth/index.js';
import { spliceSpan } from '../../../src/data/synth/families/partial.js';
import { Rng } from '../../../src/util/rng.js';
import { tempDir } from '../../helpers/tmp.js';

const small = { trainPerClass: 2, devPerClass: 1, evalPerClass: 2, clipSeconds: 0.5 };

describe('embedded corpus v3 (opt-in: partial d5/d6, issue 19 investigation)', () => {
  it('splices the artefact into one contiguous span of the asked fraction, natural elsewhere', () => {
    const n = 16000;
    const natural = new Float64Array(n).fill(1);
    const spoof = new Float64Array(n).fill(-1);
    const out = spliceSpan(natural, spoof, 0.3, new Rng(3), 16000);
    const inside = out.reduce((k, v) => k + (v === -1 ? 1 : 0), 0);
    const touched = out.reduce((k, v) => k + (v !== 1 ? 1 : 0), 0);
    // 30 % of the clip, less the two 10 ms fade-ins that are only partly spoofed.
    expect(touched).toBeGreaterThanOrEqual(0.3 * n - 2);
    expect(touched).toBeLessThanOrEqual(0.3 * n + 2);
    expect(inside).toBeGreaterThan(0.3 * n - 2 * 160 - 2);
    // One contiguous span: exactly one entry into it and one exit.
    let edges = 0;
    for (let i = 1; i < n; i++) if ((out[i] !== 1) !== (out[i - 1] !== 1)) edges++;
    expect(edges).toBe(2);
  });

  it('keeps v2 as the default, and v3 swaps only the families of d5 and d6, in its own folder', () => {
    expect(SYNTH_VERSION).toBe(2);
    const dir = tempDir();
    const v3 = generateSynthCorpus({ outDir: join(dir, 'v3'), seed: 7, version: 3, ...small });
    const v2 = generateSynthCorpus({ outDir: join(dir, 'v2'), seed: 7, ...small });
    expect(v3.version).toBe(3);
    expect(v3.domains.map((d) => `${d.name}:${d.family}`)).toEqual([
      'd1:phase-reconstruction', 'd2:oversmoothed-parametric', 'd3:upsampling-images', 'd4:noise-residue',
      'd5:partial-residue-phase', 'd6:partial-smoothed-images', 'd7:splicing',
    ]);
    expect(v3.domains.find((d) => d.name === 'd6')?.combines).toEqual(['oversmoothed-parametric', 'upsampling-images']);
    expect(v3.domains.map((d) => d.channel)).toEqual(v2.domains.map((d) => d.channel));
    expect(v3.contentHash).not.toBe(v2.contentHash);
    expect(synthFolderName(7, resolveSizes(small, 3), 3)).toMatch(/^synth-v3-s7-/);
  }, 60_000);
});
