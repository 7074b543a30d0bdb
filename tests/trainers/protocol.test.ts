import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/cli.js';
import { trainerSchemaDocuments } from '../../src/trainers/schema-documents.js';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { planFile, writeSweep } from '../search/sweep-fixtures.js';
import { parseEvent } from '../../src/trainers/events.js';
import { GpuSlots } from '../../src/exec/gpus.js';
import { killLeftover } from '../../src/trainers/supervise.js';
import { fakeTrainerSection, runAblate, tinyData, twoExperts } from './helpers.js';

describe('trainer events', () => {
  it('accept the documented lines and name the file, line and problem of any other', () => {
    expect(parseEvent('{"event":"epoch","epoch":2,"epochs":5,"metrics":{"loss":0.4,"valEer":null}}', 'e.jsonl', 1)).toEqual({
      event: 'epoch',
      epoch: 2,
      epochs: 5,
      metrics: { loss: 0.4, valEer: null },
    });
    expect(parseEvent('{"event":"progress","message":"fold 1","step":3,"steps":9,"time":"12:00"}', 'e.jsonl', 2).event).toBe('progress');
    expect(parseEvent('{"event":"heartbeat"}', 'e.jsonl', 3).event).toBe('heartbeat');
    const problems: Array<[string, RegExp]> = [
      ['loss=0.3', /^e\.jsonl line 7: not JSON \(.*\): loss=0\.3$/],
      ['{"event":"done"}', /^e\.jsonl line 7: expected \{"event": "epoch" \| "progress" \| "heartbeat", \.\.\.\} \(docs\/TRAINERS\.md, "Events"\): \{"event":"done"\}$/],
      ['{"event":"epoch","epoch":1}', /^e\.jsonl line 7: epoch event: epoch must have required property 'metrics'/],
      ['{"event":"epoch","epoch":0,"metrics":{}}', /^e\.jsonl line 7: epoch event: epoch must be >= 1/],
      ['{"event":"epoch","epoch":1,"metrics":{"loss":"low"}}', /^e\.jsonl line 7: epoch event: metrics\.loss must be number,null/],
      ['{"event":"heartbeat","note":1}', /^e\.jsonl line 7: a heartbeat event has no field "note"/],
    ];
    for (const [line, message] of problems) expect(() => parseEvent(line, 'e.jsonl', 7)).toThrow(message);
  });
});

describe('the trainer field', () => {
  it('"builtin" leaves trial ids and job keys as they were; a command changes all but the feature jobs', () => {
    const dir = tempDir();
    const base = { experts: twoExperts, data: tinyData };
    const plain = planFile(writeSweep(dir, { name: 'a', base, include: [{ kind: 'single' }] }, 'a.json'));
    const builtin = planFile(writeSweep(dir, { name: 'a', base: { ...base, trainer: 'builtin' }, include: [{ kind: 'single' }] }, 'b.json'));
    const command = planFile(writeSweep(dir, { name: 'a', base: { ...base, trainer: fakeTrainerSection() }, include: [{ kind: 'single' }] }, 'c.json'));
    expect([...builtin.trials.keys()]).toEqual([...plain.trials.keys()]);
    expect([...builtin.jobs.keys()]).toEqual([...plain.jobs.keys()]);
    const keys = (plan: typeof plain, kind: string) => [...plan.jobs.values()].filter((j) => j.kind === kind).map((j) => j.key);
    expect(keys(command, 'features')).toEqual(keys(plain, 'features'));
    for (const kind of ['pretrain', 'train-moe', 'evaluate']) {
      expect(keys(command, kind)).toHaveLength(keys(plain, kind).length);
      expect(keys(command, kind).filter((key) => keys(plain, kind).includes(key))).toEqual([]);
    }
    // Sharing is kept: the mixture and the single-expert trials share their pre-trained experts.
    expect(keys(command, 'pretrain')).toHaveLength(2);
  });

  it('is a grid axis like any other, and a bad trainer section is named by its path', () => {
    const dir = tempDir();
    const plan = planFile(writeSweep(dir, { name: 'g', base: { experts: twoExperts, data: tinyData }, grid: { trainer: ['builtin', fakeTrainerSection()] } }));
    expect(plan.trials.size).toBe(2);
    // Reports and tables tell the trials apart by the trainer's name (the script's file name by default).
    expect(plan.space.varying).toEqual([{ path: 'trainerName', levels: ['builtin', 'fake-trainer.mjs'] }]);
    const bad = writeSweep(dir, { name: 'g', base: { experts: twoExperts, data: tinyData, trainer: { command: 'python3 train.py' } } }, 'bad.json');
    const result = runAblate(['plan', bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/bad\.json.*base\.trainer/s);
  });
});

describe('GPU slots', () => {
  it('spread jobs over the devices and never exceed jobs-per-GPU', () => {
    const slots = new GpuSlots(['0', '1'], 2);
    const taken = [slots.acquire(), slots.acquire(), slots.acquire(), slots.acquire()];
    expect(taken).toEqual(['0', '1', '0', '1']);
    expect(slots.acquire()).toBeNull();
    slots.release('1');
    expect(slots.acquire()).toBe('1');
    expect(slots.acquire()).toBeNull();
  });
});

describe('Slurm with --gpus', () => {
  it('asks for GPUs per task for the arrays of command-trainer jobs only', () => {
    const dir = tempDir();
    const sweep = writeSweep(dir, { name: 'sg', base: { kind: 'single', experts: [twoExperts[0]], data: tinyData, trainer: fakeTrainerSection() } });
    const scriptsOf = (args: string[]) => {
      const out = runAblate(['run', sweep, '--results', join(dir, 'results'), '--executor', 'slurm', '--dry-run', ...args]);
      expect(out.status, out.stderr).toBe(0);
      return out.stdout.split(/\n# ---- .*level-\d\.sbatch ----\n/).slice(1);
    };
    const gpuLines = (scripts: string[]) => scripts.map((s) => [/level \d of \d \(\d job\(s\): ([a-z-]+)\)/.exec(s)?.[1], /#SBATCH --gpus-per-task=(\d+)/.exec(s)?.[1] ?? null]);
    // Locally each job is bound to one GPU; on Slurm each task asks for one, and Slurm picks it.
    expect(gpuLines(scriptsOf(['--gpus', '0,1']))).toEqual([
      ['features', null],
      ['pretrain', '1'],
      ['evaluate', '1'],
    ]);
    expect(gpuLines(scriptsOf(['--gpus', 'all', '--jobs-per-gpu', '2']))).toEqual([
      ['features', null],
      ['pretrain', '1'],
      ['evaluate', '1'],
    ]);
    expect(gpuLines(scriptsOf([]))).toEqual([
      ['features', null],
      ['pretrain', null],
      ['evaluate', null],
    ]);
  });
});

describe('the protocol\'s schema files', () => {
  it('are up to date with src/trainers (run `npm run schema`)', () => {
    for (const [name, text] of Object.entries(trainerSchemaDocuments())) {
      expect(readFileSync(join(repoRoot, 'schema', name), 'utf8'), name).toBe(text);
    }
  });
});

describe.skipIf(!existsSync('/proc/self/environ'))('a trainer left running by a killed ablate', () => {
  it('is ended before the job\'s next attempt, and only if its environment names this job', async () => {
    const dir = tempDir();
    const start = (jobDir: string) => {
      const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { detached: true, stdio: 'ignore', env: { ...process.env, ABLATE_JOB_DIR: jobDir } });
      child.unref();
      return child;
    };
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return !/ Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    const ours = start(join(dir, 'jobs', 'a'));
    const stranger = start(join(dir, 'jobs', 'b'));
    const exited = new Promise((resolve) => ours.once('exit', resolve));
    const pidFile = join(dir, 'pid');
    writeFileSync(pidFile, `${stranger.pid}\n`);
    killLeftover(pidFile, `ABLATE_JOB_DIR=${join(dir, 'jobs', 'a')}`);
    expect(alive(stranger.pid as number)).toBe(true);
    writeFileSync(pidFile, `${ours.pid}\n`);
    killLeftover(pidFile, `ABLATE_JOB_DIR=${join(dir, 'jobs', 'a')}`);
    await exited;
    expect(alive(ours.pid as number)).toBe(false);
    expect(existsSync(pidFile)).toBe(false);
    process.kill(stranger.pid as number, 'SIGKILL');
  });
});
