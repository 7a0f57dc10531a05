/**
 * Runs `cleanup` when Ctrl-C (SIGINT) arrives, then ends the process as the signal would
 * have. Cleanups registered later run first, as nested `finally` blocks would: writers are
 * stopped before the directory they write to is removed. `cleanup` must be synchronous: the
 * process ends right after. Returns the function that stops listening, for the normal path.
 */
export function onInterrupt(cleanup: () => void): () => void {
  const handler = () => {
    try {
      cleanup();
    } finally {
      // Every listener runs for this signal; once all are gone, this one ends the process.
      process.kill(process.pid, 'SIGINT');
    }
  };
  process.prependOnceListener('SIGINT', handler);
  return () => {
    process.off('SIGINT', handler);
  };
}
