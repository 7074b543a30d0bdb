import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/**
 * A small file system of its own (tmpfs), so a test can fill it or make it read-only
 * without touching the machine's disks. Needs root (or CAP_SYS_ADMIN); `tmpfsProblem`
 * says why a test cannot have one, for its skip message.
 */
function tryMount(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'ablate-tmpfs-probe-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return `cannot mount a tmpfs (${(mounted.stderr || mounted.error?.message || 'mount failed').trim()}); these tests need root`;
  }
  spawnSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
  return null;
}

export const tmpfsProblem: string | null = tryMount();

/** Mount a tmpfs of `size` (e.g. '300k') on a fresh folder; unmounted when the test ends. */
export function mountTmpfs(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ablate-tmpfs-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) throw new Error(`mount tmpfs on ${dir}: ${mounted.stderr}`);
  onTestFinished(() => {
    spawnSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Remount with other options: 'ro', 'rw', 'size=20m'. */
export function remount(dir: string, options: string): void {
  const result = spawnSync('mount', ['-o', `remount,${options}`, dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`remount ${dir} ${options}: ${result.stderr}`);
}
