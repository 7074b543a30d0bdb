import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset, type DatasetSpec } from '../../../src/data/datasets/index.js';
import type { DatasetItem } from '../../../src/data/item.js';
import { planFromFile } from '../../../src/search/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { buildTree } from './tree.js';

/** A miniature ASVspoof 2019 LA tree and a miniature Fake-or-Real tree. */
function trees(root: string): { asv: string; forRoot: string } {
  const asv = join(root, 'ASVspoof2019');
  const protocols = 'LA/ASVspoof2019_LA_cm_protocols';
  const line = (prefix: string, i: number): string => `LA_00${i} LA_${prefix}_100000${i} - ${i % 2 === 0 ? '- bonafide' : 'A0' + i + ' spoof'}`;
  const ids = [1, 2, 3, 4];
  buildTree(asv, {
    text: Object.fromEntries(
      (['T', 'D', 'E'] as const).map((prefix, k) => [
        `${protocols}/ASVspoof2019.LA.cm.${['train.trn', 'dev.trl', 'eval.trl'][k]}.txt`,
        ids.map((i) => line(prefix, i)).join('\n') + '\n',
      ]),
    ),
    audio: (['T', 'D', 'E'] as const).flatMap((prefix, k) => ids.map((i) => `LA/ASVspoof2019_LA_${['train', 'dev', 'eval'][k]}/flac/LA_${prefix}_100000${i}.flac`)),
  });
  const forRoot = join(root, 'FoR');
  buildTree(forRoot, {
    audio: ['training', 'validation', 'testing'].flatMap((split) => ['real', 'fake'].flatMap((label) => [1, 2].map((i) => `for-norm/${split}/${label}/file${i}.wav`))),
  });
  return { asv, forRoot };
}

describe('a sweep naming two real-layout datasets', () => {
  it('plans, and every dataset it names loads with the domains and splits its selectors use', async () => {
    const dir = tempDir();
    const { asv, forRoot } = trees(dir);
    const sweep = {
      name: 'two-datasets',
      base: {
        kind: 'moe',
        experts: [{ arch: 'lcnn', features: { kind: 'mel', nMels: 40 } }],
        data: {
          datasets: {
            asv19: { adapter: 'asvspoof2019-la', root: asv },
            for: { adapter: 'fake-or-real', root: forRoot, options: { version: 'norm' } },
          },
          train: ['asv19', 'for'],
          evaluate: { known: ['asv19@eval', 'for@eval'] },
        },
      },
      grid: { 'gate.type': ['mlp', 'transformer'] },
    };
    const file = join(dir, 'sweep.json');
    writeFileSync(file, JSON.stringify(sweep, null, 2));
    const plan = planFromFile(file);
    expect(plan.space.trials.length).toBeGreaterThanOrEqual(2);

    const loaded = new Map<string, DatasetItem[]>();
    for (const trial of plan.space.trials) {
      const datasets = trial.config.data.datasets as Record<string, Omit<DatasetSpec, 'name'>>;
      for (const [name, spec] of Object.entries(datasets)) {
        if (!loaded.has(name)) loaded.set(name, await loadDataset({ name, ...spec }, { resultsDir: join(dir, 'results') }));
      }
      const selectors = [...trial.config.data.train, ...trial.config.data.evaluate.known];
      for (const selector of selectors) {
        const [, name, domain, split] = /^([^:@]+)(?::([^@]+))?(?:@(\w+))?$/.exec(selector) as unknown as [string, string, string | undefined, string | undefined];
        const items = (loaded.get(name) ?? []).filter((i) => (domain === undefined || i.domain === domain) && (split === undefined || i.split === split));
        expect(items.length, `selector ${selector}`).toBeGreaterThan(0);
        expect(new Set(items.map((i) => i.label))).toEqual(new Set(['bonafide', 'spoof']));
      }
    }
    expect(loaded.get('asv19')).toHaveLength(12);
    expect(loaded.get('for')).toHaveLength(12);
    expect(loaded.get('for')?.every((i) => i.dataset === 'for' && i.domain === 'for')).toBe(true);
  });
});
