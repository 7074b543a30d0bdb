import { UserError } from '../../util/errors.js';

/**
 * An audio file ablate cannot use (corrupt, truncated, empty, unsupported). It is a
 * UserError, so the CLI prints it as a message; `path` and `problem` stay separate so a
 * dataset told to skip bad files can record them.
 */
export class AudioFileError extends UserError {
  readonly path: string;
  readonly problem: string;

  constructor(path: string, problem: string, options: { hint?: string; cause?: unknown } = {}) {
    const hint = options.hint ?? 'Check the file (e.g. `soxi` or `ffprobe`), re-encode or remove it, or set "onBadFile": "skip" on its dataset in the sweep to leave unusable files out.';
    super(`${path}: ${problem}. ${hint}`, { cause: options.cause });
    this.path = path;
    this.problem = problem;
  }
}

export function isAudioFileError(error: unknown): error is AudioFileError {
  return error instanceof AudioFileError;
}
