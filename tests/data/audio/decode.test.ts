import { describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAudioFile, AudioFileError } from '../../../src/data/audio/index.js';
import { isUserError } from '../../../src/util/errors.js';
import { repoRoot } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';
import { peak, tone } from './signal.js';

const fixture = (name: string): string => join(repoRoot, 'tests', 'fixtures', 'audio', name);

describe('decodeAudioFile on files written by sox, flac and lame', () => {
  it('reads the 64-bit float WAV as a pure half-scale 440 Hz tone', async () => {
    const audio = await decodeAudioFile(fixture('float64-16k.wav'));
    expect([audio.sampleRate, audio.channels, audio.samples.length]).toEqual([16000, 1, 8000]);
    const { amplitude, phase } = tone(audio.samples, 440, 16000);
    expect(amplitude).toBeCloseTo(0.5, 3);
    let residual = 0;
    // sox's synth starts with a small transient (its first sample is 0.008, not 0).
    for (let i = 100; i < audio.samples.length - 100; i++) residual = Math.max(residual, Math.abs(audio.samples[i]! - amplitude * Math.sin((2 * Math.PI * 440 * i) / 16000 + phase)));
    expect(residual).toBeLessThan(1e-4);
  });

  it.each([
    ['pcm8-16k.wav', 1 / 128],
    ['pcm16-16k.wav', 1 / 32768],
    ['pcm24-16k.wav', 1 / 8388608],
    ['pcm32-16k.wav', 1e-7],
    ['float32-16k.wav', 1e-7],
    ['flac16-16k.flac', 1 / 32768],
  ])('%s equals the 64-bit float version to within its quantisation step', async (name, step) => {
    const reference = await decodeAudioFile(fixture('float64-16k.wav'));
    const audio = await decodeAudioFile(fixture(name));
    expect([audio.sampleRate, audio.channels, audio.samples.length]).toEqual([16000, 1, 8000]);
    let worst = 0;
    for (let i = 0; i < audio.samples.length; i++) worst = Math.max(worst, Math.abs(audio.samples[i]! - reference.samples[i]!));
    expect(worst).toBeLessThanOrEqual(step);
  });

  it('scales PCM like torchaudio (x / 2^(bits-1)), and FLAC equals the WAV it was encoded from', async () => {
    const wav = await decodeAudioFile(fixture('pcm16-16k.wav'));
    const flac = await decodeAudioFile(fixture('flac16-16k.flac'));
    const bytes = readFileSync(fixture('pcm16-16k.wav'));
    const first = bytes.readInt16LE(44 + 2 * 100);
    expect(wav.samples[100]).toBe(first / 32768);
    expect(Array.from(flac.samples)).toEqual(Array.from(wav.samples));
  });

  it('mixes stereo to the mean of the channels (WAV and 24-bit FLAC)', async () => {
    for (const name of ['pcm16-stereo-44k.wav', 'flac24-stereo-44k.flac']) {
      const audio = await decodeAudioFile(fixture(name));
      expect(audio.sampleRate).toBe(44100);
      expect(audio.channels).toBe(2);
      // Left 440 Hz, right 1000 Hz, each at 0.5: the mean carries each at 0.25.
      expect(tone(audio.samples, 440, 44100).amplitude).toBeCloseTo(0.25, 3);
      expect(tone(audio.samples, 1000, 44100).amplitude).toBeCloseTo(0.25, 3);
    }
  });

  it('reads WAVE_FORMAT_EXTENSIBLE (4 channels, 24-bit)', async () => {
    const audio = await decodeAudioFile(fixture('pcm24-4ch-22k.wav'));
    expect(audio.channels).toBe(4);
    expect(audio.sampleRate).toBe(22050);
    expect(tone(audio.samples, 440, 22050).amplitude).toBeCloseTo(0.5, 3);
  });

  it('decodes MP3 (mono and stereo, MPEG-2 and 2.5) to the right rate, level and tone', async () => {
    const mono = await decodeAudioFile(fixture('mp3-16k.mp3'));
    expect(mono.sampleRate).toBe(16000);
    expect(mono.samples.length).toBeGreaterThan(7000);
    expect(tone(mono.samples, 440, 16000).amplitude).toBeGreaterThan(0.4);
    expect(peak(mono.samples)).toBeLessThan(0.55);
    const stereo = await decodeAudioFile(fixture('mp3-stereo-44k.mp3'));
    // lame resampled this 64 kbit/s stream to 24 kHz; gapless decoding restores 0.5 s exactly.
    expect(stereo.sampleRate).toBe(24000);
    expect(stereo.samples.length).toBe(12000);
    expect(tone(stereo.samples, 440, 24000, 2000, 10000).amplitude).toBeCloseTo(0.25, 1);
    expect(tone(stereo.samples, 1000, 24000, 2000, 10000).amplitude).toBeCloseTo(0.25, 1);
  });

  it('picks the decoder by content: a WAV named .mp3 decodes as WAV', async () => {
    const named = await decodeAudioFile(fixture('wav-named.mp3'));
    const real = await decodeAudioFile(fixture('pcm16-16k.wav'));
    expect(Array.from(named.samples)).toEqual(Array.from(real.samples));
  });
});

describe('decodeAudioFile refuses bad files with a message naming the file and the problem', () => {
  it.each([
    ['empty.wav', /empty file/],
    ['truncated-header.wav', /truncated/],
    ['truncated-data.wav', /truncated WAV: the data chunk declares 16000 bytes but only 7956/],
    ['truncated.flac', /truncated or corrupt FLAC: 4096 of the 8000 declared samples/],
    ['corrupt.flac', /corrupt FLAC/],
    ['truncated.mp3', /truncated MP3/],
    ['text.mp3', /unrecognised audio format: the file starts with the text "this is not /],
    ['random-bytes.wav', /unrecognised audio format: the file starts with bytes/],
    ['adpcm-16k.wav', /unsupported WAV encoding IMA ADPCM/],
    ['no-such-file.wav', /file not found/],
  ])('%s', async (name, problem) => {
    const path = fixture(name);
    const error = await decodeAudioFile(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AudioFileError);
    expect(isUserError(error)).toBe(true);
    const message = (error as AudioFileError).message;
    expect(message.startsWith(`${path}: `)).toBe(true);
    expect(message).toMatch(problem);
    expect((error as AudioFileError).path).toBe(path);
  });

  it('catches FLAC whose samples do not match their MD5 signature', async () => {
    const dir = tempDir();
    const copy = join(dir, 'bad-md5.flac');
    copyFileSync(fixture('flac16-16k.flac'), copy);
    const bytes = readFileSync(copy);
    // STREAMINFO's MD5 is its last 16 bytes (file offset 8 + 18 .. 8 + 34).
    bytes[8 + 20] = bytes[8 + 20]! ^ 0xff;
    writeFileSync(copy, bytes);
    await expect(decodeAudioFile(copy)).rejects.toThrow(/do not match the MD5 signature/);
  });

  it('rejects float WAV holding NaN samples', async () => {
    const dir = tempDir();
    const copy = join(dir, 'nan.wav');
    const bytes = readFileSync(fixture('float32-16k.wav'));
    const dataStart = bytes.indexOf('data') + 8;
    bytes.writeFloatLE(Number.NaN, dataStart + 4 * 10);
    writeFileSync(copy, bytes);
    await expect(decodeAudioFile(copy)).rejects.toThrow(/sample 10 is NaN/);
  });

  it('names a directory given as a file', async () => {
    await expect(decodeAudioFile(tempDir())).rejects.toThrow(/is a directory/);
  });
});
