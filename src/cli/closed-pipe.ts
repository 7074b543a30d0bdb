/**
 * `ablate export <sweep> | head`: once the reader has what it wants it closes the pipe, and
 * every later write fails with EPIPE, which Node raises as an unhandled 'error' event (a
 * stack trace and exit 1). A closed pipe is not a failure, so the command ends quietly: a
 * command that handles Ctrl-C (`run`) is asked to stop as after Ctrl-C, so its running jobs
 * still checkpoint; any other command exits at once with 0, as it has nothing left to save.
 */
export function endQuietlyOnClosedPipe(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  let closed = false;
  const onError = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE') throw error;
    if (closed) return;
    closed = true;
    if (process.listenerCount('SIGINT') > 0) process.emit('SIGINT', 'SIGINT');
    else process.exit(0);
  };
  for (const stream of streams) stream.on('error', onError);
}
