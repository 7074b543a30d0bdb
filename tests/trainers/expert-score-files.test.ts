import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { collectOutputs } from '../../src/trainers/outputs.js';
import type { TrainerJobFile } from '../../src/trainers/job-file.js';
import { readItemMatrix } from '../../src/metrics/files/item-matrix.js';

const experts = [
  { arch: 'lcnn', features: { kind: 'mel' } },
  { arch: 'resnet', features: { kind: 'mel' } },
];
const item = (id: string, label: 'bonafide' | 'spoof', attack?: string) => ({ id, path: `/audio/${id}.wav`, label, dataset: 'synth', domain: 'd1', split: 'eval' as const, ...(attack ? { attack } : {}) });
const items = [item('b1', 'bonafide'), item('b2', 'bonafide'), item('s1', 'spoof', 'A01'), item('s2', 'spoof', 'A02')];

/** An evaluate job of a mixture over one set, with the files a trainer writes (real files on disk). */
function evaluateJob(dir: string, expertScores: string | null): TrainerJobFile {
  const own = join(dir, 'trainer');
  for (const sub of ['scores', 'gates', 'expert-scores']) mkdirSync(join(own, sub), { recursive: true });
  const scores = 'filename\tcm-score\nb1\t2.0\nb2\t1.0\ns1\t-1.0\ns2\t0.5\n';
  writeFileSync(join(own, 'scores', 'synth_d1.tsv'), scores);
  writeFileSync(join(own, 'scores', '__validation__.tsv'), scores);
  writeFileSync(join(own, 'gates', 'synth_d1.tsv'), 'filename\ta\tb\nb1\t0.25\t0.75\nb2\t0.5\t0.5\ns1\t1\t0\ns2\t0.125\t0.875\n');
  if (expertScores !== null) writeFileSync(join(own, 'expert-scores', 'synth_d1.tsv'), expertScores);
  return {
    protocol: 'ablate-trainer',
    version: 1,
    job: { key: 'evaluate-0', kind: 'evaluate', attempt: 1 },
    seed: 0,
    resume: false,
    device: null,
    inputs: { target: 'moe', experts },
    data: { sampleRate: 16000, clipSeconds: 1, train: [], validation: items, evaluation: [{ name: 'synth:d1', group: 'known', items }] },
    inputArtefacts: [],
    outputs: {
      dir,
      model: join(dir, 'model'),
      checkpoint: join(dir, 'checkpoint'),
      events: join(own, 'events.jsonl'),
      scores: { 'synth:d1': join(own, 'scores', 'synth_d1.tsv') },
      validationScores: join(own, 'scores', '__validation__.tsv'),
      gates: { 'synth:d1': join(own, 'gates', 'synth_d1.tsv') },
      expertScores: { 'synth:d1': join(own, 'expert-scores', 'synth_d1.tsv') },
    },
  } as unknown as TrainerJobFile;
}

describe("a command trainer's per-item gate and expert score files (issue 16 item 3)", () => {
  it('become the binary per-item files and each expert its own metrics; without expert scores, none', async () => {
    const dir = tempDir();
    // Expert 0 ranks every bona fide item above every spoof (EER 0); expert 1 the reverse (EER 1).
    const result = await collectOutputs(evaluateJob(dir, 'filename\te0\te1\ns2\t-3\t3\nb1\t4\t-4\nb2\t3\t-3\ns1\t-4\t4\n'), dir, []);
    const eer = Object.fromEntries((result.expertMetrics ?? []).map((m) => [m.expert, m.metrics['eer']]));
    expect(eer).toEqual({ 0: 0, 1: 1 });
    const gates = result.artifacts.find((a) => a.name === 'gates/synth:d1')!;
    // In the score file's order (b1, b2, s1, s2), whatever order the trainer wrote.
    expect(Array.from(readItemMatrix(join(dir, gates.path), 4, 2))).toEqual([0.25, 0.75, 0.5, 0.5, 1, 0, 0.125, 0.875]);
    const own = result.artifacts.find((a) => a.name === 'expert-scores/synth:d1')!;
    expect(Array.from(readItemMatrix(join(dir, own.path), 4, 2))).toEqual([4, -4, 3, -3, -4, 4, -3, 3]);

    const none = tempDir();
    const without = await collectOutputs(evaluateJob(none, null), none, []);
    expect(without.expertMetrics).toEqual([]);
    expect(without.artifacts.map((a) => a.name)).toContain('gates/synth:d1');
  });

  it('refuse a malformed expert score file with the file, line and what was wrong', async () => {
    const cases: Array<[string, RegExp]> = [
      ['filename\te0\ns1\t1\n', /synth_d1\.tsv line 1: expected a header "filename" and 3 columns \(the id, then one per expert\), found 2/],
      ['filename\te0\te1\nb1\t1\tx\n', /synth_d1\.tsv line 2: score "x" is not a finite number/],
      ['filename\te0\te1\nzz\t1\t2\n', /synth_d1\.tsv line 2 scores "zz", not an item of evaluation set synth:d1/],
      ['filename\te0\te1\nb1\t1\t2\n', /synth_d1\.tsv has no scores for item b2 of synth:d1/],
    ];
    for (const [text, message] of cases) {
      const dir = tempDir();
      await expect(collectOutputs(evaluateJob(dir, text), dir, [])).rejects.toThrow(message);
    }
  });
});
