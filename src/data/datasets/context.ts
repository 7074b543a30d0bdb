import { existsSync, statSync } from 'node:fs';
import { UserError } from '../../util/errors.js';

export interface Where {
  file?: string;
  line?: number;
}

/**
 * What an adapter knows about the dataset it reads, and the one way it reports problems:
 * every message starts with the dataset's name and adapter, then the file and line, so a
 * user with ten datasets in a sweep knows which one to fix.
 */
export class DatasetContext {
  constructor(
    readonly name: string,
    readonly adapter: string,
    /** Absolute path of the root (folder, or manifest file for `csv`). */
    readonly root: string,
    /** Options after validation, defaults filled in. */
    readonly options: Record<string, unknown>,
    readonly resultsDir: string,
    private readonly warnSink: (message: string) => void,
  ) {}

  get label(): string {
    return `dataset "${this.name}" (${this.adapter})`;
  }

  error(message: string, where: Where = {}): UserError {
    const location = where.file === undefined ? '' : `${where.file}${where.line === undefined ? '' : `:${where.line}`}: `;
    return new UserError(`${this.label}: ${location}${message}`);
  }

  warn(message: string): void {
    this.warnSink(`${this.label}: ${message}`);
  }

  /** Throw a clear message unless `path` is an existing folder. */
  requireDir(path: string, what: string, hint: string): void {
    if (!existsSync(path)) throw this.error(`${what} ${path} does not exist. ${hint}`);
    if (!statSync(path).isDirectory()) throw this.error(`${what} ${path} is not a folder. ${hint}`);
  }

  /** Throw a clear message unless `path` is an existing file. */
  requireFile(path: string, what: string, hint: string): void {
    if (!existsSync(path)) throw this.error(`${what} ${path} does not exist. ${hint}`);
    if (!statSync(path).isFile()) throw this.error(`${what} ${path} is not a file. ${hint}`);
  }

  option<T>(key: string): T {
    return this.options[key] as T;
  }
}
