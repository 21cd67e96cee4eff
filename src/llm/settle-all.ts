/**
 * Promise.all that waits for every promise to settle before it rejects (with the first failure in
 * order): calls still in flight when one fails get to record what they were billed, so a failed
 * run's ledger is complete when it is stored.
 */
export async function settleAll<T extends readonly unknown[]>(
  promises: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
