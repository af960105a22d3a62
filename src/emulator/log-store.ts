/**
 * The emulator's functions' log lines kept the way CloudWatch Logs keeps Lambda's: a log group
 * `/aws/lambda/<function>`, a log stream per function version (`2026/01/31/[$LATEST]<id>`), each
 * line an event with its timestamp and ingestion time. FilterLogEvents (http-logs.ts) reads it, so
 * a client that measures Event invokes from their REPORT lines runs against `lambench serve` as it
 * would against AWS — eventual consistency included, with `ingestionDelayMs`.
 */
import { randomBytes } from 'node:crypto';

/** One stored log line, as FilterLogEvents returns it. */
export interface LogEvent {
  logStreamName: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
  eventId: string;
}

export interface LogStoreOptions {
  /** Lines kept per log group; the oldest go first (default 100,000). */
  maxEventsPerGroup?: number;
  /** How long after it is written a line becomes visible to FilterLogEvents (default 0). */
  ingestionDelayMs?: number;
  /** Clock for timestamps (epoch ms); default Date.now. */
  now?: () => number;
}

/** What FilterLogEvents selects (already validated). */
export interface LogQuery {
  logGroupName: string;
  startTime?: number;
  endTime?: number;
  logStreamNames?: readonly string[];
  logStreamNamePrefix?: string;
  matches: (message: string) => boolean;
  /** Events returned at most (the page size; CloudWatch may return fewer, with a nextToken). */
  limit: number;
  /** Where the previous page stopped (a sequence number), from its nextToken. */
  after?: number;
}

export interface LogPage {
  events: LogEvent[];
  /** The sequence number to continue from; absent when the scan reached the newest line. */
  next?: number;
}

interface Stored extends LogEvent {
  seq: number;
}

interface Group {
  events: Stored[];
  streams: Map<string, string>;
  nextSeq: number;
}

export const LAMBDA_LOG_GROUP_PREFIX = '/aws/lambda/';

export class LogStore {
  readonly #groups = new Map<string, Group>();
  readonly #max: number;
  readonly #delayMs: number;
  readonly #now: () => number;

  constructor(options: LogStoreOptions = {}) {
    this.#max = options.maxEventsPerGroup ?? 100_000;
    this.#delayMs = options.ingestionDelayMs ?? 0;
    this.#now = options.now ?? Date.now;
  }

  /** The emulator's onLog: one line of a function version's output. */
  readonly add = (functionName: string, line: string, version: string): void => {
    const name = `${LAMBDA_LOG_GROUP_PREFIX}${functionName}`;
    let group = this.#groups.get(name);
    if (group === undefined) {
      group = { events: [], streams: new Map(), nextSeq: 0 };
      this.#groups.set(name, group);
    }
    const now = this.#now();
    let stream = group.streams.get(version);
    if (stream === undefined) {
      const day = new Date(now).toISOString().slice(0, 10).replaceAll('-', '/');
      stream = `${day}/[${version}]${randomBytes(16).toString('hex')}`;
      group.streams.set(version, stream);
    }
    const seq = group.nextSeq++;
    group.events.push({
      seq,
      logStreamName: stream,
      timestamp: now,
      ingestionTime: now + this.#delayMs,
      message: line.endsWith('\n') ? line : `${line}\n`,
      eventId: String(seq).padStart(20, '0'),
    });
    if (group.events.length > this.#max) group.events.splice(0, group.events.length - this.#max);
  };

  hasGroup(logGroupName: string): boolean {
    return this.#groups.has(logGroupName);
  }

  /** One page of the events a query selects, oldest first; only events already ingested. */
  filter(query: LogQuery): LogPage {
    const group = this.#groups.get(query.logGroupName);
    if (group === undefined) return { events: [] };
    const now = this.#now();
    const events: LogEvent[] = [];
    const from = firstAtOrAfter(group.events, query.after ?? 0);
    const names = query.logStreamNames === undefined ? undefined : new Set(query.logStreamNames);
    for (let i = from; i < group.events.length; i++) {
      const e = group.events[i] as Stored;
      // Not yet ingested: this line and everything after it (written later) wait for the next poll.
      if (e.ingestionTime > now) return { events };
      if (events.length === query.limit) return { events, next: e.seq };
      if (query.startTime !== undefined && e.timestamp < query.startTime) continue;
      if (query.endTime !== undefined && e.timestamp > query.endTime) continue;
      if (names !== undefined && !names.has(e.logStreamName)) continue;
      if (query.logStreamNamePrefix !== undefined && !e.logStreamName.startsWith(query.logStreamNamePrefix))
        continue;
      if (!query.matches(e.message)) continue;
      const { seq: _seq, ...event } = e;
      events.push(event);
    }
    return { events };
  }
}

/** Index of the first stored event with a sequence number ≥ seq (events are in seq order). */
function firstAtOrAfter(events: readonly Stored[], seq: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((events[mid] as Stored).seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
