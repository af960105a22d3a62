/**
 * Lambda's REPORT line, the one place the platform states an invoke's duration, billed duration,
 * memory and init time. The AWS target reads it from the Tail log (X-Amz-Log-Result, base64 of the
 * last 4 KB of the log); `lambench invoke` writes it for local invokes in the same format:
 *
 *   REPORT RequestId: 8f5…\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 18 MB\tInit Duration: 120.56 ms
 *
 * Fields are tab-separated on AWS; spaces are accepted too since log shippers often rewrite tabs.
 */
import type { InvokeReport } from '../emulator/types.js';

const REQUEST_ID = /RequestId:\s*([0-9A-Za-z-]+)/;
// `Duration:` also ends `Billed Duration:`, `Init Duration:` and `Restore Duration:`; the lookbehind skips those.
const DURATION = /(?<!(?:Billed|Init|Restore) )Duration:\s*([0-9]+(?:\.[0-9]+)?)\s*ms/;
const BILLED = /Billed Duration:\s*([0-9]+)\s*ms/;
const MEMORY_SIZE = /Memory Size:\s*([0-9]+)\s*MB/;
const MAX_MEMORY = /Max Memory Used:\s*([0-9]+)\s*MB/;
const INIT = /Init Duration:\s*([0-9]+(?:\.[0-9]+)?)\s*ms/;

/** The figures of one REPORT line, or undefined when the line is not a complete REPORT line. */
export function parseReportLine(line: string): InvokeReport | undefined {
  const start = line.indexOf('REPORT ');
  if (start < 0) return undefined;
  const text = line.slice(start + 'REPORT '.length);
  const requestId = REQUEST_ID.exec(text)?.[1];
  const duration = DURATION.exec(text)?.[1];
  const billed = BILLED.exec(text)?.[1];
  const memorySize = MEMORY_SIZE.exec(text)?.[1];
  const maxMemory = MAX_MEMORY.exec(text)?.[1];
  if (!requestId || !duration || !billed || !memorySize || !maxMemory) return undefined;
  const report: InvokeReport = {
    requestId,
    durationMs: Number(duration),
    billedDurationMs: Number(billed),
    memorySizeMB: Number(memorySize),
    maxMemoryUsedMB: Number(maxMemory),
  };
  const init = INIT.exec(text)?.[1];
  if (init !== undefined) report.initDurationMs = Number(init);
  return report;
}

/** The last REPORT line's figures in a log (several invokes' logs may be in one Tail buffer). */
export function findReport(log: string): InvokeReport | undefined {
  const lines = log.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as string;
    if (line.includes('REPORT ')) {
      const report = parseReportLine(line);
      if (report) return report;
    }
  }
  return undefined;
}

/** The REPORT figures in an X-Amz-Log-Result header (base64 of the log's tail). */
export function reportFromLogResult(logResultBase64: string): InvokeReport | undefined {
  return findReport(Buffer.from(logResultBase64, 'base64').toString('utf8'));
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
