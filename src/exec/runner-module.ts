import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import { commandTrainerOf } from '../config/schema/trainer.js';

/**
 * The module that runs jobs in the workers. Normally the real one; ABLATE_JOB_RUNNER names
 * another module whose default export is a JobRunner, which runs every job instead (the
 * no-op runner measures orchestration overhead; tests use it to simulate jobs that fail,
 * hang or take time without training anything).
 */
export function runnerModuleUrl(): string {
  const override = process.env['ABLATE_JOB_RUNNER'];
  if (!override) return productionRunner();
  if (override === 'noop') return siblingModule('runners/noop');
  if (override.startsWith('file:')) return override;
  const path = isAbsolute(override) ? override : resolve(override);
  if (!existsSync(path)) throw new UserError(`ABLATE_JOB_RUNNER=${override}: no such module.`);
  return pathToFileURL(path).href;
}

/**
 * The runner of one job: a job whose inputs name a command trainer runs that program
 * (runners/command), whatever ABLATE_JOB_RUNNER says, since the trainer is part of the
 * trial; every other job runs on `runnerModule`.
 */
export function runnerForJob(inputs: Record<string, unknown>, runnerModule: string): string {
  return commandTrainerOf(inputs) ? siblingModule('runners/command') : runnerModule;
}

function productionRunner(): string {
  return siblingModule('runners/production');
}

function siblingModule(name: string): string {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, import.meta.url).href;
}
