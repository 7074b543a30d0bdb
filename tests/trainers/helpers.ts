import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runCli, startCli, type CliResult } from '../helpers/cli.js';
import { simulatedRunner } from '../exec/sim-helpers.js';
import { writeSweep } from '../search/sweep-fixtures.js';

export const fakeTrainer = join(repoRoot, 'tests', 'fixtures', 'trainers', 'fake-trainer.mjs');

/**
 * A command trainer section running the fake trainer (a Node script: no Python needed).
 * Its `env` is part of the trial; variables set on `ablate` itself (FAKE_EPOCH_MS) reach
 * the trainer too without changing the trial.
 */
export function fakeTrainerSection(env: Record<string, string> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { command: [process.execPath, fakeTrainer], env, ...extra };
}

/** A tiny embedded corpus: a few clips per class, generated in about a second. */
export const tinyData = {
  clipSeconds: 0.3,
  datasets: { synth: { adapter: 'synth', options: { trainPerClass: 4, devPerClass: 2, evalPerClass: 3 } } },
  train: ['synth:d1', 'synth:d2'],
  evaluate: { known: ['synth:d1', 'synth:d2'], unknown: ['synth:d5'] },
};

export const twoExperts = [
  { arch: 'lcnn', features: { kind: 'mel', nMels: 24 } },
  { arch: 'resnet', features: { kind: 'mel', nMels: 24 } },
];

/** The orchestration tests' sweep (4 mixtures, 4 single experts), optionally trained by a command. */
export function trainerSweep(dir: string, name: string, trainer?: Record<string, unknown>, overrides: Record<string, unknown> = {}): string {
  return writeSweep(
    dir,
    {
      name,
      base: { experts: twoExperts, pretrain: { epochs: 2 }, train: { epochs: 2 }, data: tinyData, ...(trainer ? { trainer } : {}) },
      grid: { routing: [{ mode: 'soft' }, { mode: 'topk', k: 1 }] },
      include: [{ kind: 'single' }],
      seeds: [0, 1],
      ...overrides,
    },
    `${name}.json`,
  );
}

/**
 * Built-in jobs (features, and everything of a built-in trial) run on the simulated runner
 * so the tests train nothing with TensorFlow.js; command-trainer jobs always run their
 * command, whatever ABLATE_JOB_RUNNER says.
 */
export function runAblate(args: string[], env: Record<string, string> = {}): CliResult {
  return runCli(args, { env: { ABLATE_JOB_RUNNER: simulatedRunner, ABLATE_SIM_EPOCH_MS: '5', FAKE_EPOCH_MS: '10', ...env } });
}

export function startAblate(args: string[], env: Record<string, string> = {}) {
  return startCli(args, { env: { ABLATE_JOB_RUNNER: simulatedRunner, ABLATE_SIM_EPOCH_MS: '5', FAKE_EPOCH_MS: '10', ...env } });
}

export function jsonLines<T = Record<string, unknown>>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}
