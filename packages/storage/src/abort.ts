import { VhbError } from '@vhb/sdk';

/** Throws VHB_E_SYNC_ABORTED when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw abortedError(what, signal.reason);
}

export function abortedError(what: string, reason?: unknown): VhbError {
  return new VhbError('VHB_E_SYNC_ABORTED', `${what} was cancelled`, {
    hint: 'run it again: finished files are kept and interrupted downloads continue',
    cause: reason,
  });
}

export function isAbort(error: unknown): boolean {
  const e = error as { name?: string; code?: string } | null;
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR' || e?.code === 'VHB_E_SYNC_ABORTED';
}
