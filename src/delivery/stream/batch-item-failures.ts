/**
 * Reading a ReportBatchItemFailures response (Lambda developer guide, "Reporting batch item
 * failures"): `{batchItemFailures: [{itemIdentifier}]}`. An empty or missing list, or an empty or
 * null response, is success; an identifier that is empty, null, missing or not in the batch, or a
 * response that is not JSON, fails the whole batch.
 */

export type ItemFailures =
  | { kind: 'success' }
  | { kind: 'all'; reason: string }
  /** The identifiers that failed, as positions in the batch (ascending). */
  | { kind: 'partial'; failed: number[] };

/** Classifies a function's response for a batch whose record identifiers are `ids`, in batch order. */
export function parseItemFailures(payload: string, ids: readonly string[]): ItemFailures {
  if (payload.trim() === '' || payload.trim() === 'null') return { kind: 'success' };
  let response: unknown;
  try {
    response = JSON.parse(payload);
  } catch {
    return { kind: 'all', reason: 'response is not JSON' };
  }
  if (response === null || typeof response !== 'object' || Array.isArray(response))
    return { kind: 'success' };
  const list = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return { kind: 'success' };
  if (!Array.isArray(list)) return { kind: 'all', reason: 'batchItemFailures is not a list' };
  if (list.length === 0) return { kind: 'success' };
  const position = new Map<string, number>();
  for (const [i, id] of ids.entries()) position.set(id, i);
  const failed = new Set<number>();
  for (const item of list) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '')
      return { kind: 'all', reason: 'an itemIdentifier is empty or missing' };
    const at = position.get(id);
    if (at === undefined) return { kind: 'all', reason: `itemIdentifier ${id} is not in the batch` };
    failed.add(at);
  }
  return { kind: 'partial', failed: [...failed].sort((a, b) => a - b) };
}
