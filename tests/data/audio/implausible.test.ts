import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAudioFile } from '../../../src/data/audio/index.js';
import { repoRoot, runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

const fixture = (name: string): string => join(repoRoot, 'tests', 'fixtures', 'audio', name);

/** The float32 fixture (a half-scale tone) with some bytes changed. */
function patched(dir: string, name: string, change: (bytes: Buffer, dataStart: number) => void): string {
  const bytes = readFileSync(fixture('float32-16k.wav'));
  change(bytes, bytes.indexOf('data') + 8);
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

const mel = '{"kind":"mel","nFft":512,"nMels":40}';

describe('valid-looking audio with impossible content is rejected at decode time, naming the file', () => {
  it('a float WAV with a finite sample near 3e38', async () => {
    const file = patched(tempDir(), 'huge.wav', (bytes, data) => bytes.writeFloatLE(3e38, data + 4 * 1000));
    await expect(decodeAudioFile(file)).rejects.toThrow(`${file}: corrupt audio: sample 1000 is 3.000e+38, beyond any audio encoding's full scale`);
    const result = runCli(['features', file, '--params', mel]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file}: corrupt audio: sample 1000 is 3.000e+38`);
  });

  it('a WAV whose header says 1 Hz, also when `ablate features --sample-rate 16000` would resample it', async () => {
    // The fmt chunk's sample rate: RIFF header (12 bytes) + chunk id and size (8) + format tag and channels (4).
    const file = patched(tempDir(), 'one-hertz.wav', (bytes) => bytes.writeUInt32LE(1, 24));
    await expect(decodeAudioFile(file)).rejects.toThrow(`${file}: implausible sample rate 1 Hz in its header`);
    const result = runCli(['features', file, '--params', mel, '--sample-rate', '16000']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file}: implausible sample rate 1 Hz`);
    expect(result.stderr).not.toMatch(/internal error|allocation|heap/i);
  });

  it('still reads loud but real floats (16-bit integer scale) and low telephone rates', async () => {
    const loud = patched(tempDir(), 'int-scale.wav', (bytes, data) => bytes.writeFloatLE(-32768, data));
    expect((await decodeAudioFile(loud)).samples[0]).toBe(-32768);
    const phone = patched(tempDir(), 'eight-k.wav', (bytes) => bytes.writeUInt32LE(8000, 24));
    expect((await decodeAudioFile(phone)).sampleRate).toBe(8000);
  });
});
