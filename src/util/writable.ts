import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from './errors.js';

/**
 * Fail early, with what to do, when `folder` cannot be written (a read-only file system,
 * no permission): checked on the nearest folder that exists, since `folder` may be made
 * later. `option` names the command-line option that chooses another place.
 */
export function assertWritableFolder(folder: string, option: string): void {
  let existing = resolve(folder);
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    accessSync(existing, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'EROFS' ? 'the file system is read-only' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code;
    throw new UserError(`cannot write ${folder}: ${why} (${existing}). Choose a writable folder with ${option}.`, { exitCode: 3, cause: error });
  }
}
