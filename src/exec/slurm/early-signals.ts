/**
 * Preloaded with `--import` by the sbatch scripts, before the CLI's modules load (a second or
 * more from sources). Until the worker installs its own handlers, a SIGTERM would kill Node
 * without a word and a SIGUSR1 would start Node's debugger; here they are kept instead, and
 * the worker acts on them as soon as it is ready (Node 20 has no --disable-sigusr1).
 */
const early: NodeJS.Signals[] = ['SIGTERM', 'SIGUSR1'];
const received: NodeJS.Signals[] = [];
const keep = (signal: NodeJS.Signals) => {
  received.push(signal);
};
for (const signal of early) process.on(signal, keep);

/** The signals that arrived before the worker was ready; stops keeping them. */
export function takeEarlySignals(): NodeJS.Signals[] {
  for (const signal of early) process.off(signal, keep);
  return received.splice(0);
}
