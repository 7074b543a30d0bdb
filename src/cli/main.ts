#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands.js';
import { isUserError } from '../util/errors.js';
import { storeFault } from '../store/faults.js';
import { endQuietlyOnClosedPipe } from './closed-pipe.js';

/**
 * The `ablate` entry point. Each command lives in its own file (see commands.ts);
 * this file only wires them up and turns errors into messages and exit codes:
 * a UserError prints its message and exits with its code (2 by default), anything
 * else is a bug and prints a stack trace only with --verbose.
 */
export async function main(argv: string[]): Promise<void> {
  const verbose = argv.includes('--verbose');
  const parser = yargs(argv)
    .scriptName('ablate')
    .usage('$0 <command> [options]\n\nSystematic Mixture-of-Experts ablations for speech deepfake detection.')
    .option('results', {
      type: 'string',
      default: 'results',
      describe: 'folder holding the results database, artifacts and reports',
      global: true,
    })
    .option('verbose', { type: 'boolean', default: false, describe: 'show internals (stack traces)', global: true })
    .strict()
    .demandCommand(1, 'Name a command: ablate <command> (ablate --help lists them).')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message, error) => {
      // yargs validation problems (unknown option, missing argument, an option's coerce
      // rejecting its value, src/util/options.ts) are user errors; yargs rewraps the
      // latter as a YError with the same message.
      if (error && error.name !== 'YError') throw error;
      process.stderr.write(`ablate: ${message}\nRun with --help for usage.\n`);
      process.exit(2);
    });
  for (const command of commands) parser.command(command);
  try {
    await parser.parseAsync();
  } catch (error) {
    reportAndExit(error, verbose);
  }
}

function reportAndExit(error: unknown, verbose: boolean): never {
  // A full disk, a read-only file system or a damaged database wherever it surfaces.
  if (!isUserError(error)) error = storeFault(error, (error as { path?: string } | null)?.path ?? 'the results folder') ?? error;
  if (isUserError(error)) {
    process.stderr.write(`ablate: ${error.message}\n`);
    if (verbose && error.cause instanceof Error) process.stderr.write(`${error.cause.stack ?? ''}\n`);
    process.exit(error.exitCode);
  }
  const text = error instanceof Error ? error.message : String(error);
  process.stderr.write(`ablate: internal error: ${text}\n`);
  if (verbose && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
  else process.stderr.write('Run again with --verbose for the stack trace, and report it if it persists.\n');
  process.exit(1);
}

endQuietlyOnClosedPipe();
await main(hideBin(process.argv));
