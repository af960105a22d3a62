/**
 * FilterCriteria of an event source mapping: records that match none of the patterns are dropped
 * before batching (Lambda developer guide, "Event filtering"). Patterns use the EventBridge
 * pattern language, which SNS's filter-policy language mirrors for what Lambda supports (exact,
 * prefix, suffix, anything-but, numeric, exists, equals-ignore-case, $or), so the same compiler
 * is used with the record as the message body.
 *
 * What a pattern sees, per source: Kinesis — the record's `kinesis` fields with `data` decoded
 * from base64 and parsed as JSON (data that is not JSON is left out, so a pattern on `data` fails);
 * DynamoDB — the whole record; SQS — the whole record with `body` parsed when it is JSON.
 */
import { compileFilterPolicy } from '../filter-policy.js';

export type PullKind = 'kinesis' | 'dynamodb' | 'sqs';
export type RecordFilter = (record: Record<string, unknown>) => boolean;

/** A predicate true for records matching any pattern (always true when there is none). */
export function compileFilterCriteria(
  kind: PullKind,
  patterns: readonly Record<string, unknown>[],
): RecordFilter {
  if (patterns.length === 0) return () => true;
  const matchers = patterns.map((p) => compileFilterPolicy(p, 'MessageBody'));
  return (record) => {
    const message = { Message: JSON.stringify(filterSubject(kind, record)) };
    return matchers.some((match) => match(message));
  };
}

/** The object a pattern is matched against (Kinesis data that is not JSON is left out). */
function filterSubject(kind: PullKind, record: Record<string, unknown>): unknown {
  if (kind === 'dynamodb') return record;
  if (kind === 'sqs') {
    const body = record.body;
    return typeof body === 'string' ? { ...record, body: parseOr(body, body) } : record;
  }
  const k = (record.kinesis ?? {}) as Record<string, unknown>;
  const text = Buffer.from(String(k.data ?? ''), 'base64').toString('utf8');
  const { data: _raw, ...rest } = k;
  const data = parseOr(text, undefined);
  return data === undefined ? rest : { ...rest, data };
}

function parseOr<T>(text: string, fallback: T): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}
