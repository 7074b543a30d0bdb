import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * A private copy of a store that cannot be opened in place: SQLite reads a WAL database
 * only where it can create the -shm file, which a read-only file system refuses
 * (https://sqlite.org/wal.html#readonly), and this build of SQLite takes no `immutable`
 * URI. The copy (with its -wal, so committed transactions not yet checkpointed are seen)
 * lives in the temp folder and is removed when the process exits; readers open it
 * read-only, so a write meant for the store fails instead of landing in the copy.
 */
export function readOnlyCopy(path: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ablate-ro-store-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const copy = join(dir, basename(path));
  copyFileSync(path, copy);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
  return copy;
}
