/**
 * Stopping long-running commands the way Falco does: the first SIGINT/SIGTERM asks for a clean
 * stop (input ends, accepted alerts are delivered), a later one gives up waiting on delivery.
 * @module
 */

/**
 * Calls `onStop` at the first SIGINT or SIGTERM and `onForce` at every later one, until the
 * returned function uninstalls the handlers. While installed, signals never kill the process
 * outright, so an interrupted shutdown still closes its outputs and store.
 */
export function handleStopSignals(onStop: () => void, onForce: () => void = () => {}): () => void {
  let seen = 0;
  const handler = (): void => {
    if (seen++ === 0) onStop();
    else onForce();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
