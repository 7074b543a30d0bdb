import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The command that runs `ablate` on a compute node from this same checkout: the built CLI
 * (dist/cli/main.js) when ablate runs built, else the TypeScript sources through tsx's loader
 * (as in development and tests), with early-signals preloaded. Node itself is this process's binary; on a cluster where
 * nodes see Node elsewhere, ABLATE_NODE in the job's environment overrides it.
 */
export function ablateCommand(): { node: string; args: string[] } {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const main = fileURLToPath(new URL(`../../cli/main${extension}`, import.meta.url));
  // Keeps signals that arrive while the CLI loads (see early-signals.ts).
  const early = ['--import', new URL(`./early-signals-preload${extension}`, import.meta.url).href];
  if (extension === '.js') return { node: process.execPath, args: [...early, main] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { node: process.execPath, args: ['--import', tsx, ...early, main] };
}

/** Quote for a POSIX shell (single quotes; an embedded quote closes, escapes and reopens). */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
