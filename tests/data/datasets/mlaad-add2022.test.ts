import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadDataset } from '../../../src/data/datasets/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { buildTree, counts, expectReadableItems, failureOf } from './tree.js';

describe('mlaad adapter', () => {
  function tree(root: string): Map<string, number> {
    const audio: string[] = [];
    for (const [language, model] of [
      ['de', 'tts_models_de_thorsten_vits'],
      ['en', 'facebook_mms-tts-eng'],
      ['en', 'tts_models_en_ljspeech_glow-tts'],
    ] as const) {
      for (let i = 0; i < 5; i++) audio.push(`fake/${language}/${model}/${model}_${i}.wav`);
    }
    return buildTree(root, { text: { 'fake/en/facebook_mms-tts-eng/meta.csv': 'path|original_file\n' }, audio });
  }

  it('reads fake/<language>/<model>/*.wav as spoofs, the model as attack, split per model', async () => {
    const root = tempDir();
    const tones = tree(root);
    const items = await loadDataset({ name: 'mlaad', adapter: 'mlaad', root });
    expect(items).toHaveLength(15);
    expect(items.every((i) => i.label === 'spoof')).toBe(true);
    expect(items[0]).toMatchObject({ attack: 'tts_models_de_thorsten_vits', meta: { language: 'de' }, id: 'de/tts_models_de_thorsten_vits/tts_models_de_thorsten_vits_0' });
    for (const model of new Set(items.map((i) => i.attack))) {
      expect(counts(items.filter((i) => i.attack === model))).toEqual({ 'train/spoof': 3, 'dev/spoof': 1, 'eval/spoof': 1 });
    }
    await expectReadableItems(items, tones);
    const english = await loadDataset({ name: 'mlaad', adapter: 'mlaad', root, options: { languages: ['en'] } });
    expect(english).toHaveLength(10);
  });

  it('says what is missing', async () => {
    const root = tempDir();
    tree(root);
    expect(await failureOf(loadDataset({ name: 'mlaad', adapter: 'mlaad', root, options: { languages: ['fr'] } }))).toContain(`options.languages names "fr", but ${join(root, 'fake', 'fr')} does not exist (found de, en)`);
    const empty = tempDir();
    expect(await failureOf(loadDataset({ name: 'mlaad', adapter: 'mlaad', root: empty }))).toContain(`folder ${join(empty, 'fake')} does not exist`);
  });
});

describe('add2022 adapter', () => {
  function tree(root: string, text: Record<string, string> = {}): Map<string, number> {
    return buildTree(root, {
      text: {
        'ADD_train_dev/label/train_label.txt': 'ADD_T_00000001.wav genuine\nADD_T_00000002.wav fake\n',
        'ADD_train_dev/label/dev_label.txt': 'ADD_D_00000001.wav fake\n',
        'ADD2022_test/track1_label.txt': 'ADD_E1_00000001.wav genuine\nADD_E1_00000002.wav fake\n',
        ...text,
      },
      audio: [
        'ADD_train_dev/train/ADD_T_00000001.wav',
        'ADD_train_dev/train/ADD_T_00000002.wav',
        'ADD_train_dev/dev/ADD_D_00000001.wav',
        'ADD2022_test/track1test/ADD_E1_00000001.wav',
        'ADD2022_test/track1test/ADD_E1_00000002.wav',
      ],
    });
  }

  it('reads train/dev labels and track 1 test labels (test -> eval)', async () => {
    const root = tempDir();
    const tones = tree(root);
    const items = await loadDataset({ name: 'add', adapter: 'add2022', root });
    expect(counts(items)).toEqual({ 'train/bonafide': 1, 'train/spoof': 1, 'dev/spoof': 1, 'eval/bonafide': 1, 'eval/spoof': 1 });
    expect(items[3]).toMatchObject({ id: 'ADD_E1_00000001', path: join(root, 'ADD2022_test', 'track1test', 'ADD_E1_00000001.wav') });
    await expectReadableItems(items, tones);
  });

  it('names file and line for a bad label word and a row with extra columns, and a missing file', async () => {
    const root = tempDir();
    tree(root, { 'ADD_train_dev/label/dev_label.txt': 'ADD_D_00000001.wav spoof\n' });
    expect(await failureOf(loadDataset({ name: 'add', adapter: 'add2022', root }))).toContain('dev_label.txt:1: label "spoof" is not one of "genuine", "fake"');
    const extra = tempDir();
    tree(extra, { 'ADD_train_dev/label/train_label.txt': 'ADD_T_00000001.wav genuine\nADD_T_00000002.wav fake 0.5\n' });
    expect(await failureOf(loadDataset({ name: 'add', adapter: 'add2022', root: extra }))).toContain('train_label.txt:2: expected 2 space-separated columns (<file> genuine|fake), found 3');
    const missing = tempDir();
    tree(missing, { 'ADD2022_test/track1_label.txt': 'ADD_E1_00000001.wav genuine\nADD_E1_00000404.wav fake\n' });
    expect(await failureOf(loadDataset({ name: 'add', adapter: 'add2022', root: missing }))).toContain('track1_label.txt:2: lists');
  });
});
