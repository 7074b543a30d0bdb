import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadDataset } from '../../../src/data/datasets/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { buildTree, counts, expectReadableItems, failureOf } from './tree.js';

function forTree(base: string): string[] {
  return [
    `${base}/training/real/file1.wav_16k.wav_norm.wav_mono.wav_silence.wav`,
    `${base}/training/fake/file1.mp3.wav_16k.wav_norm.wav_mono.wav_silence.wav`,
    `${base}/validation/real/file2.wav`,
    `${base}/validation/fake/file3.wav`,
    `${base}/testing/real/file1.wav_16k.wav_norm.wav_mono.wav_silence.wav`,
    `${base}/testing/fake/file4.wav`,
  ];
}

describe('fake-or-real adapter', () => {
  it.each(['original', 'norm', '2seconds', 'rerecorded'])('reads version %s with training/validation/testing and real/fake', async (version) => {
    const root = tempDir();
    const tones = buildTree(root, { audio: forTree(`for-${version}`) });
    const items = await loadDataset({ name: 'for', adapter: 'fake-or-real', root, options: { version } });
    expect(counts(items)).toEqual({ 'train/spoof': 1, 'train/bonafide': 1, 'dev/spoof': 1, 'dev/bonafide': 1, 'eval/spoof': 1, 'eval/bonafide': 1 });
    // The same file name in training and testing stays two items.
    expect(new Set(items.map((i) => i.id)).size).toBe(6);
    expect(items.find((i) => i.split === 'eval' && i.label === 'bonafide')?.id).toBe('testing/real/file1.wav_16k.wav_norm.wav_mono.wav_silence');
    expect(items[0]?.meta).toEqual({ version });
    await expectReadableItems(items, tones);
  });

  it('finds copies that nest the version folder twice, and the version folder given as root', async () => {
    const root = tempDir();
    buildTree(root, { audio: forTree('for-norm/for-norm') });
    expect(await loadDataset({ name: 'for', adapter: 'fake-or-real', root })).toHaveLength(6);
    expect(await loadDataset({ name: 'for', adapter: 'fake-or-real', root: join(root, 'for-norm', 'for-norm') })).toHaveLength(6);
  });

  it('rejects a label folder other than real/fake, an unknown version and a missing version folder', async () => {
    const root = tempDir();
    buildTree(root, { audio: [...forTree('for-2seconds'), 'for-2seconds/testing/unknown/x.wav'] });
    const label = await failureOf(loadDataset({ name: 'for', adapter: 'fake-or-real', root, options: { version: '2seconds' } }));
    expect(label).toContain(`folder "unknown" in ${join(root, 'for-2seconds', 'testing')} is not a known label (expected real/ or fake/)`);
    expect(await failureOf(loadDataset({ name: 'for', adapter: 'fake-or-real', root, options: { version: '3seconds' } }))).toContain(
      'options.version must be one of "original", "norm", "2seconds", "rerecorded" (got "3seconds")',
    );
    const missing = await failureOf(loadDataset({ name: 'for', adapter: 'fake-or-real', root, options: { version: 'rerecorded' } }));
    expect(missing).toContain('found no training/, validation/ or testing/ folder for version "rerecorded"');
    expect(await failureOf(loadDataset({ name: 'for', adapter: 'fake-or-real', root: join(root, 'gone') }))).toContain('does not exist');
  });
});
