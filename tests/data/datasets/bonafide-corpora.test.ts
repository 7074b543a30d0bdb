import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadDataset } from '../../../src/data/datasets/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { buildTree, counts, expectReadableItems, failureOf, tools } from './tree.js';
import { readFileSync } from 'node:fs';

describe('ljspeech adapter', () => {
  const ids = Array.from({ length: 10 }, (_, i) => `LJ001-${String(i + 1).padStart(4, '0')}`);
  // Transcripts hold stray quotes, which must not be taken as CSV quoting.
  const metadata = ids.map((id, i) => `${id}|He said "stop ${i}|He said "stop ${i}`).join('\n') + '\n';

  it('reads metadata.csv and wavs/, all bona fide, seeded split', async () => {
    const root = tempDir();
    const tones = buildTree(root, { text: { 'metadata.csv': metadata }, audio: ids.map((id) => `wavs/${id}.wav`) });
    const items = await loadDataset({ name: 'lj', adapter: 'ljspeech', root });
    expect(counts(items)).toEqual({ 'train/bonafide': 6, 'dev/bonafide': 2, 'eval/bonafide': 2 });
    expect(items[0]).toMatchObject({ id: 'LJ001-0001', speaker: 'LJ', label: 'bonafide', domain: 'lj' });
    await expectReadableItems(items, tones);
  });

  it('names the line of a row without three fields, and a missing wav', async () => {
    const root = tempDir();
    buildTree(root, { text: { 'metadata.csv': `${metadata}LJ001-0011|only one\n` }, audio: ids.map((id) => `wavs/${id}.wav`) });
    expect(await failureOf(loadDataset({ name: 'lj', adapter: 'ljspeech', root }))).toContain('metadata.csv:11: expected 3 pipe-separated columns (id, transcript, normalized), found 2');
    const missing = tempDir();
    buildTree(missing, { text: { 'metadata.csv': metadata }, audio: ids.slice(1).map((id) => `wavs/${id}.wav`) });
    expect(await failureOf(loadDataset({ name: 'lj', adapter: 'ljspeech', root: missing }))).toContain(`metadata.csv:1: lists ${join(missing, 'wavs', 'LJ001-0001.wav')}, which does not exist (1 of 10 listed files are missing)`);
  });
});

describe('librispeech adapter', () => {
  const files = [
    'train-clean-100/103/1240/103-1240-0000.flac',
    'train-clean-100/103/1240/103-1240-0001.flac',
    'train-other-500/20/205/20-205-0000.flac',
    'dev-clean/84/121123/84-121123-0000.flac',
    'test-clean/121/121726/121-121726-0000.flac',
  ];

  it('maps train-*/dev-*/test-* subsets to splits, with speaker and chapter', async () => {
    const root = tempDir();
    const tones = buildTree(root, { text: { 'train-clean-100/103/1240/103-1240.trans.txt': '103-1240-0000 TEXT\n', 'SPEAKERS.TXT': '' }, audio: files });
    const items = await loadDataset({ name: 'libri', adapter: 'librispeech', root });
    expect(counts(items)).toEqual({ 'train/bonafide': 3, 'dev/bonafide': 1, 'eval/bonafide': 1 });
    expect(items.find((i) => i.id === '84-121123-0000')).toMatchObject({ split: 'dev', speaker: '84', meta: { subset: 'dev-clean', chapter: '121123' } });
    if (tools.flac) expect(readFileSync(items[0]!.path).subarray(0, 4).toString('latin1')).toBe('fLaC');
    await expectReadableItems(items, tones);
    expect(await loadDataset({ name: 'libri', adapter: 'librispeech', root, options: { subsets: ['dev-clean', 'test-clean'] } })).toHaveLength(2);
    expect(await loadDataset({ name: 'libri', adapter: 'librispeech', root: join(root, 'train-clean-100') })).toHaveLength(2);
  });

  it('rejects a file that breaks the naming scheme and an unknown subset', async () => {
    const root = tempDir();
    buildTree(root, { audio: [...files, 'dev-clean/84/121123/85-121123-0001.flac'] });
    expect(await failureOf(loadDataset({ name: 'libri', adapter: 'librispeech', root }))).toContain(
      `${join(root, 'dev-clean/84/121123/85-121123-0001.flac')} does not follow <speaker>-<chapter>-<utterance>.flac for speaker 84, chapter 121123`,
    );
    expect(await failureOf(loadDataset({ name: 'libri', adapter: 'librispeech', root, options: { subsets: ['test-other'] } }))).toContain('options.subsets names "test-other"');
  });
});

describe('vctk adapter', () => {
  const files = ['p225/p225_001_mic1.flac', 'p225/p225_001_mic2.flac', 'p225/p225_002_mic1.flac', 'p226/p226_001_mic1.flac', 'p226/p226_002_mic1.flac', 's5/s5_001_mic1.flac'].map(
    (f) => `wav48_silence_trimmed/${f}`,
  );

  it('reads mic1 by default, both on request, speaker-disjoint split on request', async () => {
    const root = tempDir();
    const tones = buildTree(root, { text: { 'wav48_silence_trimmed/p225/log.txt': '' }, audio: files });
    const items = await loadDataset({ name: 'vctk', adapter: 'vctk', root });
    expect(items.map((i) => i.id).sort()).toEqual(['p225_001_mic1', 'p225_002_mic1', 'p226_001_mic1', 'p226_002_mic1', 's5_001_mic1']);
    expect(items.find((i) => i.id === 's5_001_mic1')).toMatchObject({ speaker: 's5', meta: { mic: 'mic1' }, label: 'bonafide' });
    await expectReadableItems(items, tones);
    expect(await loadDataset({ name: 'vctk', adapter: 'vctk', root, options: { mic: 'both' } })).toHaveLength(6);
    const bySpeaker = await loadDataset({ name: 'vctk', adapter: 'vctk', root, options: { groupBy: 'speaker' } });
    for (const speaker of ['p225', 'p226']) expect(new Set(bySpeaker.filter((i) => i.speaker === speaker).map((i) => i.split)).size).toBe(1);
  });

  it('rejects a misnamed file and a missing audio folder', async () => {
    const root = tempDir();
    buildTree(root, { audio: [...files, 'wav48_silence_trimmed/p226/p225_003_mic1.flac'] });
    expect(await failureOf(loadDataset({ name: 'vctk', adapter: 'vctk', root }))).toContain('p225_003_mic1.flac does not follow <speaker>_<utterance>_mic{1,2}.flac for speaker p226');
    const empty = tempDir();
    expect(await failureOf(loadDataset({ name: 'vctk', adapter: 'vctk', root: empty }))).toContain(`audio folder ${join(empty, 'wav48_silence_trimmed')} does not exist`);
  });
});

describe('commonvoice adapter', () => {
  const header = 'client_id\tpath\tsentence\tup_votes\tdown_votes\tage\tgender\taccents\tlocale\tsegment';
  const row = (client: string, clip: string, gender = ''): string => `${client}\t${clip}\tShe said "hi\t2\t0\tthirties\t${gender}\t\ten\t`;

  function tree(root: string, train = [header, row('c1', 'common_voice_en_1.mp3', 'female'), row('c2', 'common_voice_en_2.mp3')].join('\n')): Map<string, number> {
    return buildTree(root, {
      text: {
        'train.tsv': `${train}\n`,
        'dev.tsv': `${[header, row('c3', 'common_voice_en_3.mp3')].join('\n')}\n`,
        'test.tsv': `${[header, row('c4', 'common_voice_en_4.mp3', 'male')].join('\n')}\n`,
        'validated.tsv': `${header}\n`,
      },
      audio: ['clips/common_voice_en_1.mp3', 'clips/common_voice_en_2.mp3', 'clips/common_voice_en_3.mp3', 'clips/common_voice_en_4.mp3'],
    });
  }

  it('reads train/dev/test TSVs (test -> eval) with the client as speaker, MP3 clips', async () => {
    const root = tempDir();
    const tones = tree(root);
    const items = await loadDataset({ name: 'cv', adapter: 'commonvoice', root });
    expect(counts(items)).toEqual({ 'train/bonafide': 2, 'dev/bonafide': 1, 'eval/bonafide': 1 });
    expect(items[0]).toMatchObject({ id: 'common_voice_en_1', speaker: 'c1', meta: { gender: 'female', age: 'thirties', locale: 'en' } });
    if (tools.lame) expect(readFileSync(items[0]!.path).subarray(0, 3).toString('latin1')).not.toBe('RIF');
    await expectReadableItems(items, tones);
  });

  it('names the TSV line with a missing column, and a missing clip', async () => {
    const root = tempDir();
    tree(root, [header, row('c1', 'common_voice_en_1.mp3'), 'c2\tcommon_voice_en_2.mp3\tshort row'].join('\n'));
    expect(await failureOf(loadDataset({ name: 'cv', adapter: 'commonvoice', root }))).toContain(`${join(root, 'train.tsv')}:3: expected 10 tab-separated columns`);
    const missing = tempDir();
    tree(missing, [header, row('c1', 'common_voice_en_404.mp3')].join('\n'));
    expect(await failureOf(loadDataset({ name: 'cv', adapter: 'commonvoice', root: missing }))).toContain(`train.tsv:2: lists ${join(missing, 'clips', 'common_voice_en_404.mp3')}, which does not exist`);
    const noHeader = tempDir();
    tree(noHeader, 'c1\tcommon_voice_en_1.mp3\n');
    expect(await failureOf(loadDataset({ name: 'cv', adapter: 'commonvoice', root: noHeader }))).toContain('train.tsv:1: the header has no column "client_id"');
  });
});
