/**
 * Calls `work(index)` for every index below `count`, at most `limit` at a time, in index order;
 * stops starting new work once `signal` is aborted.
 */
export async function forEachLimited(
  count: number,
  limit: number,
  work: (index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count && !signal?.aborted) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
}
