/**
 * Ctrl-C / SIGTERM: the first asks for a graceful stop (no new jobs; running ones stop at
 * their next training step, dropping the epoch in progress, since the checkpoint of the
 * last complete epoch is already on disk; their attempts are marked interrupted); the
 * second exits at once, which is
 * safe too: the store is only written in transactions and the next run recovers the
 * attempts that were left running.
 */
export function onInterrupt(stop: (signal: NodeJS.Signals) => void): () => void {
  let received = 0;
  const handler = (signal: NodeJS.Signals) => {
    received++;
    if (received === 1) {
      stop(signal);
      return;
    }
    process.stderr.write(`\n${signal} again: exiting now. Resume later with the same command or \`ablate resume\`.\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

export function exitCodeFor(signal: NodeJS.Signals | null): number {
  if (signal === 'SIGTERM') return 143;
  return 130;
}
