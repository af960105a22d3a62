/**
 * REPORT lines read back from CloudWatch Logs (FilterLogEvents on `/aws/lambda/<function>`), for
 * invocations whose answer carries no figures: Event invokes (matched by request id) and
 * invocations an AWS service made (SNS, a Kinesis mapping: every REPORT of the prepared version's
 * log streams). CloudWatch Logs is eventually consistent — a line can show up seconds after it was
 * written — so the whole window is read again every `pollMs` until every request id is found (or
 * the expected count is reached, or no new line came for `settleMs`), bounded by `maxWaitMs`.
 */
import {
  type CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilterLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { type PlatformReport, parseReportLine } from '../report-line.js';
import type { LoggedReport, LogReports } from '../types.js';

/** Matches both log formats' REPORT: text `REPORT RequestId: …` and JSON `"type":"platform.report"`. */
export const REPORT_FILTER_PATTERN = '?"REPORT RequestId" ?"platform.report"';

export interface ReadReportsOptions {
  logGroupName: string;
  /** Epoch ms: lines older than this are not the run's. */
  startTime: number;
  /** Request ids to find; absent: every REPORT line (of `version`'s streams when given). */
  requestIds?: readonly string[];
  /** Only log streams of this version (`…/[3]…`, `…/[$LATEST]…`); request-id reads ignore it. */
  version?: string;
  /** Without request ids: only REPORT lines with this Memory Size. */
  memorySizeMB?: number;
  /** Without request ids: stop once this many REPORT lines are found. */
  expected?: number;
  maxWaitMs: number;
  pollMs: number;
  /** Without request ids or an expected count: done once no new line came for this long (default 5 s). */
  settleMs?: number;
  /** Waits between reads (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}

/** Reads REPORT lines until every request id is found or the bounded wait ends. */
export async function readReports(
  client: CloudWatchLogsClient,
  options: ReadReportsOptions,
): Promise<LogReports> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const wanted = options.requestIds === undefined ? undefined : new Set(options.requestIds);
  const streamMark = options.version === undefined ? undefined : `[${options.version}]`;
  // Keyed by log event: a second read returns the same lines again.
  const found = new Map<string, { timestamp: number; seq: number; report: LoggedReport }>();
  const started = Date.now();
  let requests = 0;
  let lastNewAt = started;
  for (;;) {
    const before = found.size;
    requests += await readOnce(client, options, (key, stream, message, timestamp) => {
      if (found.has(key)) return;
      // The platform's REPORT starts its line; a function's own output that imitates one does not
      // (Lambda prefixes it with the time, request id and level).
      if (!message.startsWith('REPORT ') && !message.trimStart().startsWith('{')) return;
      const report = parseReportLine(message);
      if (report === undefined) return;
      if (wanted !== undefined) {
        if (!wanted.has(report.requestId)) return;
      } else if (options.memorySizeMB !== undefined) {
        if (report.memorySizeMB !== options.memorySizeMB) return;
      } else if (streamMark !== undefined && !stream.includes(streamMark)) return;
      found.set(key, { timestamp, seq: found.size, report: loggedReport(report) });
    });
    if (found.size > before) lastNewAt = Date.now();
    const elapsed = Date.now() - started;
    const quietMs = Date.now() - lastNewAt;
    if (isComplete(options, wanted, found, quietMs) || elapsed + options.pollMs > options.maxWaitMs) break;
    await sleep(options.pollMs);
  }
  const reports = [...found.values()]
    .sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq)
    .map((f) => f.report);
  const seen = new Set(reports.map((r) => r.requestId));
  return {
    logGroup: options.logGroupName,
    matchedBy:
      wanted !== undefined ? 'request-id' : options.memorySizeMB !== undefined ? 'memory-size' : 'version',
    reports,
    notFound: wanted === undefined ? [] : [...wanted].filter((id) => !seen.has(id)),
    waitedMs: Date.now() - started,
    requests,
  };
}

function isComplete(
  options: ReadReportsOptions,
  wanted: ReadonlySet<string> | undefined,
  found: ReadonlyMap<string, { report: LoggedReport }>,
  quietMs: number,
): boolean {
  if (wanted !== undefined) {
    const seen = new Set([...found.values()].map((f) => f.report.requestId));
    return [...wanted].every((id) => seen.has(id));
  }
  if (options.expected !== undefined) return found.size >= options.expected;
  // Nothing to count against: settled once lines stopped arriving for a while (after some came).
  return found.size > 0 && quietMs >= (options.settleMs ?? 5000);
}

/** One full read of the window, every page; returns the number of calls made. */
async function readOnce(
  client: CloudWatchLogsClient,
  options: ReadReportsOptions,
  onEvent: (key: string, stream: string, message: string, timestamp: number) => void,
): Promise<number> {
  let nextToken: string | undefined;
  let calls = 0;
  do {
    let page: FilterLogEventsCommandOutput;
    try {
      page = await client.send(
        new FilterLogEventsCommand({
          logGroupName: options.logGroupName,
          startTime: options.startTime,
          filterPattern: REPORT_FILTER_PATTERN,
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
      );
    } catch (error) {
      // The group appears with the function's first log line: until then there is nothing to read.
      if ((error as { name?: unknown }).name === 'ResourceNotFoundException') return calls + 1;
      throw error;
    }
    calls++;
    for (const e of page.events ?? []) {
      if (e.message === undefined) continue;
      const stream = e.logStreamName ?? '';
      onEvent(
        `${stream}\u0000${e.eventId ?? `${e.timestamp}:${e.message}`}`,
        stream,
        e.message,
        e.timestamp ?? 0,
      );
    }
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return calls;
}

function loggedReport(r: PlatformReport): LoggedReport {
  const out: LoggedReport = {
    requestId: r.requestId,
    durationMs: r.durationMs,
    billedDurationMs: r.billedDurationMs,
    memorySizeMB: r.memorySizeMB,
    maxMemoryUsedMB: r.maxMemoryUsedMB,
  };
  if (r.initDurationMs !== undefined) out.initDurationMs = r.initDurationMs;
  if (r.restoreDurationMs !== undefined) out.restoreDurationMs = r.restoreDurationMs;
  if (r.status !== undefined) out.status = r.status;
  if (r.errorType !== undefined) out.errorType = r.errorType;
  return out;
}
