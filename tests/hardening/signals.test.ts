import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, tsxLoader } from '../helpers/cli.js';

/**
 * Issue 15, item 3: a SIGTERM handler installed when the Slurm task module loaded made every
 * command ignore SIGTERM. Loading every command (as the CLI does) must leave Node's default:
 * the process dies of the signal.
 */
describe('SIGTERM outside `ablate run`', () => {
  it('kills a process that loaded every command module', () => {
    const commands = pathToFileURL(join(repoRoot, 'src', 'cli', 'commands.ts')).href;
    const script = `await import(${JSON.stringify(commands)});
      process.kill(process.pid, 'SIGTERM');
      setTimeout(() => { process.stdout.write('still alive'); process.exit(0); }, 2000);`;
    const child = spawnSync(process.execPath, ['--import', tsxLoader, '--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    expect(child.stdout).not.toContain('still alive');
    expect(child.signal).toBe('SIGTERM');
  });

  it('keeps signals in a Slurm worker that preloads early-signals, until it takes them', () => {
    const preload = pathToFileURL(join(repoRoot, 'src', 'exec', 'slurm', 'early-signals-preload.ts')).href;
    const module = pathToFileURL(join(repoRoot, 'src', 'exec', 'slurm', 'early-signals.ts')).href;
    const script = `const { takeEarlySignals } = await import(${JSON.stringify(module)});
      process.kill(process.pid, 'SIGTERM');
      setTimeout(() => { process.stdout.write(JSON.stringify(takeEarlySignals())); process.exit(0); }, 500);`;
    const child = spawnSync(process.execPath, ['--import', tsxLoader, '--import', preload, '--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual(['SIGTERM']);
  });
});
