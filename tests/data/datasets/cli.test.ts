import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';
import { buildTree } from './tree.js';

describe('ablate data list / adapters', () => {
  it('counts a dataset per domain, split and label', () => {
    const root = tempDir();
    buildTree(root, {
      text: { 'manifest.csv': 'path,label,split,domain\na.wav,spoof,train,x\nb.wav,bonafide,train,x\nc.wav,spoof,eval,y\n' },
      audio: ['a.wav', 'b.wav', 'c.wav'],
    });
    const result = runCli(['data', 'list', 'csv', root, '--name', 'mine']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('3 items in dataset "mine" (csv)');
    expect(result.stdout).toMatch(/x\s+train\s+1\s+1/);
    expect(result.stdout).toMatch(/y\s+eval\s+0\s+1/);
  });

  it('turns bad input into a message and exit code 2, without a stack trace', () => {
    const root = tempDir();
    buildTree(root, { text: { 'meta.csv': 'file,speaker,label\n0.wav,A,maybe\n' }, audio: ['0.wav'] });
    const result = runCli(['data', 'list', 'in-the-wild', root]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`ablate: dataset "in-the-wild" (in-the-wild): ${join(root, 'meta.csv')}:2: label "maybe" is not one of "bona-fide", "spoof"`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const option = runCli(['data', 'list', 'fake-or-real', root, '--option', 'version']);
    expect(option.status).toBe(2);
    expect(option.stderr).toContain('expected key=value');
  });

  it('lists every adapter with its layout and split mapping', () => {
    const result = runCli(['data', 'adapters']);
    expect(result.status).toBe(0);
    for (const name of ['asvspoof2019-la', 'asvspoof5', 'fake-or-real', 'in-the-wild', 'commonvoice', 'csv', 'synth']) expect(result.stdout).toContain(`${name}\n  layout:`);
    expect(result.stdout).toContain('training -> train, validation -> dev, testing -> eval');
  });
});
