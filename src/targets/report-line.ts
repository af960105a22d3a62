/**
 * Lambda's REPORT line, the one place the platform states an invoke's duration, billed duration,
 * memory and init time. The AWS target reads it from the Tail log (X-Amz-Log-Result, base64 of the
 * last 4 KB of the log); `lambench invoke` writes it for local invokes in the same format:
 *
 *   REPORT RequestId: 8f5…\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 18 MB\tInit Duration: 120.56 ms
 *
 * Fields are tab-separated on AWS; spaces are accepted too since log shippers often rewrite tabs.
 * Functions configured with LoggingConfig.LogFormat JSON get the same figures as a `platform.report`
 * record instead: {"type":"platform.report","record":{"requestId":…,"metrics":{"durationMs":…}}}.
 * SnapStart functions report `Restore Duration` (JSON: restoreDurationMs) in place of Init Duration.
 */
import type { InvokeReport } from '../emulator/types.js';

/** A REPORT line's figures, with SnapStart's restore duration when the line has one. */
export interface PlatformReport extends InvokeReport {
  restoreDurationMs?: number;
  /** `Status: timeout` / `Status: error` (JSON: record.status other than success); absent for success. */
  status?: string;
  /** `Error Type: Runtime.OutOfMemory` (JSON: record.errorType) when the platform wrote one. */
  errorType?: string;
}

const REQUEST_ID = /RequestId:\s*([0-9A-Za-z-]+)/;
// `Duration:` also ends `Billed Duration:`, `Init Duration:` and `Restore Duration:`; the lookbehind skips those.
const DURATION = /(?<!(?:Billed|Init|Restore) )Duration:\s*([0-9]+(?:\.[0-9]+)?)\s*ms/;
const BILLED = /Billed Duration:\s*([0-9]+)\s*ms/;
const MEMORY_SIZE = /Memory Size:\s*([0-9]+)\s*MB/;
const MAX_MEMORY = /Max Memory Used:\s*([0-9]+)\s*MB/;
const INIT = /Init Duration:\s*([0-9]+(?:\.[0-9]+)?)\s*ms/;
const RESTORE = /(?<!Billed )Restore Duration:\s*([0-9]+(?:\.[0-9]+)?)\s*ms/;
const STATUS = /Status:\s*([A-Za-z]+)/;
const ERROR_TYPE = /Error Type:\s*([A-Za-z0-9_.]+)/;

/** The figures of one REPORT line, or undefined when the line is not a complete REPORT line. */
export function parseReportLine(line: string): PlatformReport | undefined {
  if (line.includes('"platform.report"')) return parseJsonReport(line);
  const start = line.indexOf('REPORT ');
  if (start < 0) return undefined;
  const text = line.slice(start + 'REPORT '.length);
  const requestId = REQUEST_ID.exec(text)?.[1];
  const duration = DURATION.exec(text)?.[1];
  const billed = BILLED.exec(text)?.[1];
  const memorySize = MEMORY_SIZE.exec(text)?.[1];
  const maxMemory = MAX_MEMORY.exec(text)?.[1];
  if (!requestId || !duration || !billed || !memorySize || !maxMemory) return undefined;
  const report: PlatformReport = {
    requestId,
    durationMs: Number(duration),
    billedDurationMs: Number(billed),
    memorySizeMB: Number(memorySize),
    maxMemoryUsedMB: Number(maxMemory),
  };
  const init = INIT.exec(text)?.[1];
  if (init !== undefined) report.initDurationMs = Number(init);
  const restore = RESTORE.exec(text)?.[1];
  if (restore !== undefined) report.restoreDurationMs = Number(restore);
  const status = STATUS.exec(text)?.[1];
  if (status !== undefined && status !== 'success') report.status = status;
  const errorType = ERROR_TYPE.exec(text)?.[1];
  if (errorType !== undefined) report.errorType = errorType;
  return report;
}

/** A JSON-format `platform.report` record, or undefined when the line is not a complete one. */
function parseJsonReport(line: string): PlatformReport | undefined {
  const start = line.indexOf('{');
  if (start < 0) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(line.slice(start));
  } catch {
    return undefined;
  }
  const d = doc as { type?: unknown; record?: { requestId?: unknown; metrics?: Record<string, unknown> } };
  if (d.type !== 'platform.report' || typeof d.record?.requestId !== 'string') return undefined;
  const m = d.record.metrics ?? {};
  const num = (key: string): number | undefined => (typeof m[key] === 'number' ? m[key] : undefined);
  const duration = num('durationMs');
  const billed = num('billedDurationMs');
  const memorySize = num('memorySizeMB');
  const maxMemory = num('maxMemoryUsedMB');
  if (duration === undefined || billed === undefined || memorySize === undefined || maxMemory === undefined)
    return undefined;
  const report: PlatformReport = {
    requestId: d.record.requestId,
    durationMs: duration,
    billedDurationMs: billed,
    memorySizeMB: memorySize,
    maxMemoryUsedMB: maxMemory,
  };
  const init = num('initDurationMs');
  if (init !== undefined) report.initDurationMs = init;
  const restore = num('restoreDurationMs');
  if (restore !== undefined) report.restoreDurationMs = restore;
  const record = d.record as { status?: unknown; errorType?: unknown };
  if (typeof record.status === 'string' && record.status !== 'success') report.status = record.status;
  if (typeof record.errorType === 'string') report.errorType = record.errorType;
  return report;
}

/**
 * The platform's REPORT in a log: the last one, or with `requestId` the last one for that request.
 * Scanning from the end matters because the platform writes REPORT after everything the function
 * printed, so a function that prints a fake REPORT line cannot pass its figures off as the platform's.
 */
export function findReport(log: string, requestId?: string): PlatformReport | undefined {
  const lines = log.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as string;
    if (line.includes('REPORT ') || line.includes('"platform.report"')) {
      const report = parseReportLine(line);
      if (report && (requestId === undefined || report.requestId === requestId)) return report;
    }
  }
  return undefined;
}

/** The REPORT figures in an X-Amz-Log-Result header (base64 of the log's tail). */
export function reportFromLogResult(logResultBase64: string, requestId?: string): PlatformReport | undefined {
  return findReport(Buffer.from(logResultBase64, 'base64').toString('utf8'), requestId);
}

/** Durations print with two decimals, as Lambda prints them. */
function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}

/** Writes a REPORT line in Lambda's format (tab-separated, trailing tab as on AWS). */
export function formatReportLine(r: InvokeReport): string {
  const fields = [
    `REPORT RequestId: ${r.requestId}`,
    `Duration: ${ms(r.durationMs)}`,
    `Billed Duration: ${r.billedDurationMs} ms`,
    `Memory Size: ${r.memorySizeMB} MB`,
    `Max Memory Used: ${r.maxMemoryUsedMB} MB`,
  ];
  if (r.initDurationMs !== undefined) fields.push(`Init Duration: ${ms(r.initDurationMs)}`);
  return `${fields.join('\t')}\t`;
}
