import { type Output, paint } from './output.js';

/**
 * Ctrl-C once aborts the returned signal and prints `message` (what stops, what is kept, how to
 * go on); twice exits at once with 130.
 */
export function interruptible(output: Output, message: string): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    output.err(paint(output).yellow(`\n⏸ ${message} (Ctrl-C again to quit now)`));
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
