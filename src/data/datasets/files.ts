import { readdirSync, type Dirent } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import type { DatasetContext, Where } from './context.js';

/** Audio extensions folder-walking adapters pick up (decoding is the audio module's job). */
export const audioExtensions = ['.wav', '.flac', '.mp3'] as const;

export function isAudioFile(name: string): boolean {
  return (audioExtensions as readonly string[]).includes(extname(name).toLowerCase());
}

/** Entries of a folder sorted by name, so every adapter yields items in the same order on every machine. */
export function sortedEntries(dir: string): Dirent[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function subfolders(dir: string): string[] {
  return sortedEntries(dir)
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

export function audioFilesIn(dir: string): string[] {
  return sortedEntries(dir)
    .filter((entry) => entry.isFile() && isAudioFile(entry.name))
    .map((entry) => entry.name);
}

export function stem(name: string): string {
  return basename(name, extname(name));
}

/**
 * Whether protocol-listed files exist, answered from one directory listing per folder
 * (a stat per file is slow on network file systems with 600k-line protocols).
 */
export class FileIndex {
  private readonly listings = new Map<string, Set<string>>();

  has(path: string): boolean {
    const dir = dirname(path);
    let names = this.listings.get(dir);
    if (names === undefined) {
      try {
        names = new Set(readdirSync(dir));
      } catch {
        names = new Set();
      }
      this.listings.set(dir, names);
    }
    return names.has(basename(path));
  }
}

interface MissingFile extends Where {
  path: string;
}

/**
 * Collects listed files that are not on disk, then either fails with the first one (file,
 * line, path, how many) or, with `onMissingFile: "skip"`, drops them and says how many.
 */
export class MissingFiles {
  private readonly missing: MissingFile[] = [];
  private readonly index = new FileIndex();
  private checked = 0;

  constructor(private readonly ctx: DatasetContext) {}

  /** True when the file exists; otherwise records it and returns false. */
  check(path: string, where: Where): boolean {
    this.checked++;
    if (this.index.has(path)) return true;
    this.missing.push({ path, ...where });
    return false;
  }

  /** Call once all items are listed. */
  settle(): void {
    const first = this.missing[0];
    if (first === undefined) return;
    const count = `${this.missing.length} of ${this.checked} listed files`;
    if (this.ctx.option<string>('onMissingFile') === 'skip') {
      this.ctx.warn(`skipped ${count}, which are missing (first: ${first.path}).`);
      return;
    }
    const where: Where = first.file === undefined ? {} : first.line === undefined ? { file: first.file } : { file: first.file, line: first.line };
    throw this.ctx.error(
      `lists ${first.path}, which does not exist (${count} are missing). Check the root folder, restore the files, or set options.onMissingFile to "skip".`,
      where,
    );
  }
}
