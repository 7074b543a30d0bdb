import { spawnSync, spawn, type SpawnSyncReturns, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliSource = join(repoRoot, 'src', 'cli', 'main.ts');

/** tsx's loader by absolute URL, so the CLI runs from its sources whatever the working folder. */
export const tsxLoader = pathToFileURL(createRequire(join(repoRoot, 'package.json')).resolve('tsx')).href;

/** Node arguments that run the CLI from its TypeScript sources (no build needed). */
export function cliNodeArgs(args: string[]): string[] {
  return ['--import', tsxLoader, cliSource, ...args];
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run `ablate <args>` as a real process and wait for it. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): CliResult {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, cliNodeArgs(args), {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    input: options.input,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 300_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Start `ablate <args>` without waiting (for signal and kill tests). */
export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(process.execPath, cliNodeArgs(args), {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
