import { accessSync, constants, existsSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join, resolve } from 'node:path';
import type { CommandTrainer } from '../config/schema/trainer.js';
import { expandTrainer, trainerName } from '../trainers/run-command-job.js';
import { probeInterpreter, type InterpreterReport } from './python.js';

export interface TrainerReport {
  name: string;
  command: string[];
  /** The program's path as it would start, or null with the reason in `error`. */
  program: string | null;
  error: string | null;
  /** Python programs: the interpreter's imports (torch, torchaudio, ... and CUDA). */
  python: InterpreterReport | null;
}

/** Where a command's program is: a path (relative to cwd) or a name on PATH. */
export function findProgram(program: string, cwd: string): string | null {
  const candidates = program.includes('/') ? [isAbsolute(program) ? program : resolve(cwd, program)] : (process.env['PATH'] ?? '').split(delimiter).map((dir) => join(dir, program));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not this one.
    }
  }
  return null;
}

/** Can each distinct command trainer of a sweep start here, and does its interpreter import what it needs? */
export function checkTrainers(trainers: CommandTrainer[], modules: string[]): TrainerReport[] {
  return trainers.map((written) => {
    let trainer: CommandTrainer;
    try {
      trainer = expandTrainer(written);
    } catch (error) {
      return { name: trainerName(written), command: written.command, program: null, error: (error as Error).message, python: null };
    }
    const cwd = resolve(trainer.cwd ?? '.');
    const name = trainerName(trainer);
    if (!existsSync(cwd)) return { name, command: trainer.command, program: null, error: `its cwd ${cwd} does not exist`, python: null };
    const program = findProgram(trainer.command[0] as string, cwd);
    if (!program) return { name, command: trainer.command, program: null, error: `${trainer.command[0]} is not an executable file${(trainer.command[0] as string).includes('/') ? '' : ' on PATH'}`, python: null };
    const python = /^python[\d.]*$/.test(basename(program)) ? probeInterpreter(program, modules) : null;
    return { name, command: trainer.command, program, error: null, python };
  });
}
