import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedSweep } from '../search/load-sweep.js';
import type { CommandTrainer } from '../config/schema/trainer.js';
import { settingValue } from '../config/dataset-roots.js';
import { UserError } from '../util/errors.js';

/** The trainer names `ablate run --trainer` knows. */
export const TRAINER_SHORTHANDS = ['builtin', 'pytorch'] as const;
export type TrainerShorthand = (typeof TRAINER_SHORTHANDS)[number];

/** The setting naming the shipped trainer's entry script (default: this installation's). */
export const PYTORCH_TRAINER_SETTING = 'ABLATE_PYTORCH_TRAINER';

/** trainers/pytorch/run.py of this installation (from src/ or dist/ alike). */
export function pytorchTrainerScript(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'trainers', 'pytorch', 'run.py');
}

/**
 * The shipped PyTorch trainer as a command trainer. Its command holds variables, not
 * paths, so its trials have the same ids on every machine: ${ABLATE_PYTHON} (default
 * python3; Debian's python3-torch is /usr/bin/python3) and ${ABLATE_PYTORCH_TRAINER}
 * (default this installation's trainers/pytorch/run.py), both expanded when a job starts.
 */
export const PYTORCH_TRAINER: CommandTrainer = { name: 'pytorch', command: ['${ABLATE_PYTHON}', `\${${PYTORCH_TRAINER_SETTING}}`] };

/**
 * Give the two variables their defaults in this process (workers and trainers inherit
 * them), for runs and resumes of sweeps that use the shipped trainer.
 */
export function setPytorchTrainerDefaults(env: NodeJS.ProcessEnv = process.env): void {
  if (!settingValue('ABLATE_PYTHON')) env['ABLATE_PYTHON'] = 'python3';
  if (!settingValue(PYTORCH_TRAINER_SETTING)) env[PYTORCH_TRAINER_SETTING] = pytorchTrainerScript();
}

/** Fail before the run, not in every job: the interpreter must import torch and torchaudio. */
export function checkPytorchTrainer(): void {
  setPytorchTrainerDefaults();
  const python = settingValue('ABLATE_PYTHON') as string;
  const script = settingValue(PYTORCH_TRAINER_SETTING) as string;
  if (!existsSync(script)) throw new UserError(`--trainer pytorch: the PyTorch trainer ${script} does not exist (${PYTORCH_TRAINER_SETTING}).`, { exitCode: 3 });
  const check = spawnSync(python, ['-c', 'import torch, torchaudio'], { encoding: 'utf8', timeout: 120_000 });
  if (check.status === 0) return;
  const why = check.error ? check.error.message : (check.stderr.trim().split('\n').at(-1) ?? `exit ${check.status}`);
  throw new UserError(
    `--trainer pytorch: ${python} cannot import torch and torchaudio (${why}). Install them (Debian: apt-get install python3-torch python3-torchaudio) or set ABLATE_PYTHON to an interpreter that has them.`,
    { exitCode: 3 },
  );
}

/**
 * `--trainer <name>` applied to a loaded sweep: every trial gets that trainer. A sweep that
 * already chooses its trainer (in base, a grid axis, an include or a point) keeps the choice
 * explicit: the option is refused rather than silently overriding it.
 */
export function withTrainer(loaded: LoadedSweep, shorthand: TrainerShorthand): LoadedSweep {
  const sweep = loaded.sweep as unknown as Record<string, unknown>;
  if (JSON.stringify(sweep).includes('"trainer"')) {
    throw new UserError(`${loaded.file}: the sweep names its trainer itself; drop --trainer ${shorthand} or the sweep's "trainer" field.`);
  }
  if (shorthand === 'builtin') return loaded;
  // Refused here rather than by every pre-training job (the trainer exits 2 naming it too).
  if (JSON.stringify(sweep).includes('"cropPoolSeconds"')) {
    throw new UserError(`${loaded.file}: data.cropPoolSeconds (a fresh crop per draw) is not implemented in the PyTorch trainer; run this sweep with the built-in trainer or drop the field (docs/TRAINERS.md).`);
  }
  checkPytorchTrainer();
  const base = { ...((sweep['base'] as Record<string, unknown> | undefined) ?? {}), trainer: PYTORCH_TRAINER };
  return { ...loaded, sweep: { ...sweep, base } as unknown as LoadedSweep['sweep'] };
}
