/**
 * The batching and retry rules both batch producers share (Kinesis PutRecords, SNS PublishBatch): a batch call can
 * accept some entries and reject others, so each call re-sends only the entries the previous one
 * rejected, with exponential back-off, until none are left or the tries run out.
 */

/**
 * Splits entries into batch calls within a call's entry count and byte limits, keeping their order:
 * the indexes of each call's entries.
 */
export function batchIndexes<T>(
  entries: readonly T[],
  sizeOf: (entry: T) => number,
  limits: { maxEntries: number; maxBytes: number },
): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  entries.forEach((entry, i) => {
    const size = sizeOf(entry);
    if (current.length > 0 && (current.length === limits.maxEntries || bytes + size > limits.maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += size;
  });
  if (current.length > 0) out.push(current);
  return out;
}

export interface RetryOptions {
  /** Tries per entry, the first included (default 5). */
  maxAttempts?: number;
  /** Back-off before the second try, doubled for each further one (default 100 ms). */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Sends every batch of entry indexes through `send`, which returns the indexes to send again;
 * resolves when each batch is accepted or out of tries.
 */
export async function sendRetryingRejected(
  batches: readonly number[][],
  options: RetryOptions,
  send: (pending: readonly number[], attempt: number) => Promise<number[]>,
): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (const batch of batches) {
    let pending: readonly number[] = batch;
    for (let attempt = 1; pending.length > 0 && attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await sleep(baseDelayMs * 2 ** (attempt - 2));
      pending = await send(pending, attempt);
    }
  }
}
