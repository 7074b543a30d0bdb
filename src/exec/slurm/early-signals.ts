/**
 * Signals that arrive while a Slurm worker's CLI loads. Until the worker installs its own
 * handlers, a SIGTERM would kill Node without a word and a SIGUSR1 would start Node's
 * debugger; early-signals-preload.ts (given to Node with `--import` by the sbatch scripts)
 * keeps them instead, and the worker acts on them as soon as it is ready (Node 20 has no
 * --disable-sigusr1). Importing this module installs nothing: every other command loads it
 * too (through the CLI's command list) and must keep Node's default SIGTERM behaviour.
 */
const early: NodeJS.Signals[] = ['SIGTERM', 'SIGUSR1'];
const received: NodeJS.Signals[] = [];
let installed = false;
const keep = (signal: NodeJS.Signals) => {
  received.push(signal);
};

/** Keep SIGTERM and SIGUSR1 until takeEarlySignals(); only the preload calls this. */
export function installEarlySignals(): void {
  if (installed) return;
  installed = true;
  for (const signal of early) process.on(signal, keep);
}

/** The signals that arrived before the worker was ready; stops keeping them. */
export function takeEarlySignals(): NodeJS.Signals[] {
  if (!installed) return [];
  installed = false;
  for (const signal of early) process.off(signal, keep);
  return received.splice(0);
}
