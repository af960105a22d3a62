/**
 * CloudWatch Logs FilterLogEvents on the emulator's endpoint (JSON 1.1: a POST to `/` with
 * `X-Amz-Target: Logs_20140328.FilterLogEvents`), answered from the LogStore, so
 * @aws-sdk/client-cloudwatch-logs reads the emulator's REPORT lines as it reads Lambda's. Pages
 * hold at most PAGE_EVENTS events with a nextToken, as CloudWatch's may; filter patterns are the
 * term forms (`REPORT`, `"exact phrase"`, `?either ?or`, `-excluded`), not JSON or space-delimited.
 */
import type { ServerResponse } from 'node:http';
import type { LogQuery, LogStore } from './log-store.js';
import { LambdaServiceError } from './types.js';

export const LOGS_TARGET_PREFIX = 'Logs_20140328.';

/** Events per page at most; CloudWatch's own limit is 10,000 (and 1 MB), and it may return fewer. */
export const PAGE_EVENTS = 100;

/** True when a request is a CloudWatch Logs JSON 1.1 call. */
export function isLogsRequest(method: string, pathname: string, target: string | undefined): boolean {
  return method === 'POST' && pathname === '/' && target?.startsWith(LOGS_TARGET_PREFIX) === true;
}

/** Answers FilterLogEvents; every other CloudWatch Logs action is refused. */
export function serveLogs(
  store: LogStore,
  target: string,
  body: Buffer,
  res: ServerResponse,
  requestId: string,
): void {
  const action = target.slice(LOGS_TARGET_PREFIX.length);
  if (action !== 'FilterLogEvents') {
    throw logsError(
      'InvalidOperationException',
      `lambench's emulator answers only the CloudWatch Logs action FilterLogEvents; got '${action}'.`,
    );
  }
  const query = parseQuery(body);
  if (!store.hasGroup(query.logGroupName)) {
    throw logsError('ResourceNotFoundException', 'The specified log group does not exist.');
  }
  const page = store.filter(query);
  const doc: Record<string, unknown> = { events: page.events, searchedLogStreams: [] };
  if (page.next !== undefined) doc.nextToken = Buffer.from(`lambench:${page.next}`).toString('base64');
  const text = JSON.stringify(doc);
  res.writeHead(200, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}

function parseQuery(body: Buffer): LogQuery {
  let doc: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object');
    doc = parsed as Record<string, unknown>;
  } catch {
    throw logsError('InvalidParameterException', 'The request body is not a JSON object.');
  }
  const group = doc.logGroupName ?? groupFromIdentifier(doc.logGroupIdentifier);
  if (typeof group !== 'string' || group === '') {
    throw logsError('InvalidParameterException', 'logGroupName or logGroupIdentifier is required.');
  }
  const limit = optionalInt(doc.limit, 'limit');
  if (limit !== undefined && (limit < 1 || limit > 10_000)) {
    throw logsError('InvalidParameterException', 'limit must be between 1 and 10000.');
  }
  const query: LogQuery = {
    logGroupName: group,
    matches: compileTermPattern(typeof doc.filterPattern === 'string' ? doc.filterPattern : ''),
    limit: Math.min(limit ?? PAGE_EVENTS, PAGE_EVENTS),
  };
  const start = optionalInt(doc.startTime, 'startTime');
  const end = optionalInt(doc.endTime, 'endTime');
  if (start !== undefined) query.startTime = start;
  if (end !== undefined) query.endTime = end;
  if (Array.isArray(doc.logStreamNames)) query.logStreamNames = doc.logStreamNames.map(String);
  if (typeof doc.logStreamNamePrefix === 'string') query.logStreamNamePrefix = doc.logStreamNamePrefix;
  if (typeof doc.nextToken === 'string') query.after = tokenPosition(doc.nextToken);
  return query;
}

/** `arn:aws:logs:region:account:log-group:NAME[:*]` or a bare name. */
function groupFromIdentifier(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const m = /:log-group:([^:]+)/.exec(value);
  return m ? m[1] : value;
}

function optionalInt(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw logsError('InvalidParameterException', `${field} must be an integer.`);
  }
  return value;
}

function tokenPosition(token: string): number {
  const m = /^lambench:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!m) throw logsError('InvalidParameterException', 'The specified nextToken is invalid.');
  return Number(m[1]);
}

/**
 * A term filter pattern as a predicate: every plain term must occur (`-term` must not), or with
 * `?term`s any one of them. Terms are case-sensitive; quotes keep spaces and punctuation.
 */
export function compileTermPattern(pattern: string): (message: string) => boolean {
  const text = pattern.trim();
  if (text === '') return () => true;
  if (text.startsWith('{') || text.startsWith('[')) {
    throw logsError(
      'InvalidParameterException',
      "lambench's emulator supports term filter patterns only (not JSON or space-delimited ones).",
    );
  }
  const all: string[] = [];
  const none: string[] = [];
  const any: string[] = [];
  for (const m of text.matchAll(/([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g)) {
    const term = m[2] === undefined ? (m[3] as string) : m[2].replace(/\\(.)/g, '$1');
    if (m[1] === '?') any.push(term);
    else if (m[1] === '-') none.push(term);
    else all.push(term);
  }
  return (message) =>
    (any.length === 0 || any.some((t) => message.includes(t))) &&
    all.every((t) => message.includes(t)) &&
    !none.some((t) => message.includes(t));
}

function logsError(type: string, message: string): LambdaServiceError {
  // CloudWatch Logs answers every one of these with 400 (its errors are all client-side here).
  return new LambdaServiceError({ type, httpStatus: 400, message });
}
