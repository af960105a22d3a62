/**
 * The end-of-run summary: one table row per function x memory setting (per sweep point), then
 * the error types, the ledger, harness warnings and where the results went. Reads only the
 * results object (the results file is the contract), never engine internals.
 */
import { formatSeconds } from '../metrics/harness-verdict.js';
import { mergeHistograms } from '../metrics/histogram.js';
import type { PointResults, Results, SeriesResults } from '../metrics/results-schema.js';
import { HARNESS_DROP_REASON, LEDGER_BUCKETS } from '../metrics/types.js';
import { approximationWarning, engineLabel } from './engine.js';
import { streamSummaryLines } from './stream-summary.js';

export interface SummaryOptions {
  /** ANSI colours; plain ASCII when false (the default). */
  color?: boolean;
  /** Where results.json was written, printed as the last line. */
  resultsPath?: string;
}

interface Row {
  point: string;
  functionName: string;
  memoryMB: number;
  series: SeriesResults[];
}

const ANSI = {
  bold: '\x1b[1m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  green: '\x1b[32m',
  dim: '\x1b[2m',
  reset: '\x1b[0m',
};
type Paint = (style: keyof typeof ANSI, text: string) => string;

export function formatSummary(results: Results, options: SummaryOptions = {}): string {
  const paint: Paint = options.color
    ? (style, text) => `${ANSI[style]}${text}${ANSI.reset}`
    : (_style, text) => text;
  const rows = tableRows(results.points);
  const withPoint = !uniqueByFunctionAndMemory(rows);
  const lines = [
    ...verdictLines(results, paint),
    headline(results),
    '',
    ...table(rows, withPoint, paint),
    '',
    ...errorLines(rows, withPoint, paint),
    ...integrationTimeoutLines(rows, withPoint, paint),
    ...streamSummaryLines(results),
    ...ledgerLines(results, paint),
    ...harnessLines(results, rows, paint),
  ];
  if (options.resultsPath) lines.push(`results: ${options.resultsPath}`);
  return `${lines.join('\n')}\n`;
}

function headline(results: Results): string {
  const run = results.run;
  const seconds = (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000;
  const target =
    run.target.kind === 'local' ? `local (cpu limit: ${run.target.cpuLimiter ?? 'unknown'})` : 'aws';
  const points = results.points.length === 1 ? '1 point' : `${results.points.length} points`;
  const aborted = run.aborted ? ` - ABORTED${run.abortReason ? `: ${run.abortReason}` : ''}` : '';
  const engine = run.engine === undefined ? '' : `, engine ${engineLabel(results)}`;
  return `lambench ${run.scenarioName}: ${points}, ${seconds.toFixed(1)} s, seed ${run.seed}, target ${target}${engine}${aborted}`;
}

/** When function × memory names every row, the point column would only repeat the memory. */
function uniqueByFunctionAndMemory(rows: readonly Row[]): boolean {
  return new Set(rows.map((r) => `${r.functionName}\u0000${r.memoryMB}`)).size === rows.length;
}

function tableRows(points: readonly PointResults[]): Row[] {
  const rows: Row[] = [];
  for (const point of points) {
    const byKey = new Map<string, Row>();
    for (const s of point.series) {
      const id = `${s.key.functionName}\u0000${s.key.memoryMB}`;
      let row = byKey.get(id);
      if (!row) {
        row = { point: point.label, functionName: s.key.functionName, memoryMB: s.key.memoryMB, series: [] };
        byKey.set(id, row);
        rows.push(row);
      }
      row.series.push(s);
    }
  }
  return rows;
}

const sum = (row: Row, pick: (s: SeriesResults) => number): number =>
  row.series.reduce((n, s) => n + pick(s), 0);

function table(rows: Row[], withPoint: boolean, paint: Paint): string[] {
  const header = [
    'FUNCTION',
    'MEM MB',
    'INVOKES',
    'ERRORS',
    'COLD',
    'P50',
    'P90',
    'P99',
    'MAX',
    'INIT P50/MAX',
  ];
  header.push('MAX MEM', 'THROTTLED', 'DROPPED');
  if (withPoint) header.unshift('POINT');
  const body = rows.map((row) => rowCells(row, withPoint));
  if (body.length === 0) return ['(no invocations recorded)'];
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]?.text.length ?? 0)));
  const leftAligned = withPoint ? 2 : 1; // POINT and FUNCTION
  const pad = (text: string, i: number) =>
    i < leftAligned ? text.padEnd(widths[i] ?? 0) : text.padStart(widths[i] ?? 0);
  const lines = [paint('bold', header.map(pad).join('  ').trimEnd())];
  for (const cells of body) {
    lines.push(
      cells
        .map((c, i) => (c.style ? paint(c.style, pad(c.text, i)) : pad(c.text, i)))
        .join('  ')
        .trimEnd(),
    );
  }
  return lines;
}

interface Cell {
  text: string;
  style?: keyof typeof ANSI;
}

function rowCells(row: Row, withPoint: boolean): Cell[] {
  const client = mergeHistograms(
    row.series.flatMap((s) =>
      [s.histograms.clientLatencyUs.cold, s.histograms.clientLatencyUs.warm].filter((h) => !!h),
    ),
  );
  const init = mergeHistograms(
    row.series.flatMap((s) => (s.histograms.initDurationUs ? [s.histograms.initDurationUs] : [])),
  );
  const maxMemory = Math.max(
    0,
    ...row.series
      .flatMap((s) => [s.histograms.maxMemoryUsedMB.cold, s.histograms.maxMemoryUsedMB.warm])
      .map((h) => h?.summary.max ?? 0),
  );
  const has = client.totalCount > 0;
  const latency = (p: number): string => (has ? formatUs(client.getValueAtPercentile(p)) : '-');
  const errors = sum(row, (s) => s.counters.errors);
  const throttles = sum(row, (s) => s.counters.throttles);
  const dropped = sum(row, (s) => s.counters.droppedByReason[HARNESS_DROP_REASON] ?? 0);
  const cells: Cell[] = [
    { text: row.functionName },
    { text: String(row.memoryMB) },
    { text: String(sum(row, (s) => s.counters.invocations)) },
    errors > 0 ? { text: String(errors), style: 'red' } : { text: '0' },
    { text: String(sum(row, (s) => s.counters.coldStarts)) },
    { text: latency(50) },
    { text: latency(90) },
    { text: latency(99) },
    { text: has ? formatUs(client.maxValue) : '-' },
    {
      text:
        init.totalCount > 0 ? `${formatUs(init.getValueAtPercentile(50))}/${formatUs(init.maxValue)}` : '-',
    },
    { text: maxMemory > 0 ? `${maxMemory} MB` : '-' },
    throttles > 0 ? { text: String(throttles), style: 'yellow' } : { text: '0' },
    dropped > 0 ? { text: String(dropped), style: 'red' } : { text: '0' },
  ];
  if (withPoint) cells.unshift({ text: row.point });
  return cells;
}

/** Integer µs → a short ASCII duration: 850us, 12.3ms, 123ms, 1.23s. */
export function formatUs(us: number): string {
  if (us < 1000) return `${Math.round(us)}us`;
  const ms = us / 1000;
  if (ms < 100) return `${ms.toFixed(1)}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  return s < 100 ? `${s.toFixed(2)}s` : `${Math.round(s)}s`;
}

function errorLines(rows: Row[], withPoint: boolean, paint: Paint): string[] {
  const lines: string[] = [];
  for (const row of rows) {
    const byType = new Map<string, number>();
    for (const s of row.series) {
      for (const [type, n] of Object.entries(s.counters.errorsByType))
        byType.set(type, (byType.get(type) ?? 0) + n);
    }
    if (byType.size === 0) continue;
    const list = [...byType].sort((a, b) => b[1] - a[1]).map(([type, n]) => `${type} x${n}`);
    const where = `${withPoint ? `${row.point} ` : ''}${row.functionName} ${row.memoryMB} MB`;
    lines.push(`${paint('red', 'errors')} ${where}: ${list.join(', ')}`);
  }
  return lines;
}

/** API Gateway gave up on these calls (504) while the functions ran on: they are invoked and billed. */
function integrationTimeoutLines(rows: Row[], withPoint: boolean, paint: Paint): string[] {
  const lines: string[] = [];
  for (const row of rows) {
    const late = sum(row, (s) => s.counters.answeredAfterIntegrationTimeout ?? 0);
    if (late === 0) continue;
    const where = `${withPoint ? `${row.point} ` : ''}${row.functionName} ${row.memoryMB} MB`;
    lines.push(
      `${paint('yellow', 'integration timeout')} ${where}: ${late} client(s) got 504 while the function ran on (invoked and billed)`,
    );
  }
  return lines;
}

function ledgerLines(results: Results, paint: Paint): string[] {
  const l = results.ledger;
  const parts = LEDGER_BUCKETS.filter((b) => l.buckets[b] > 0).map((b) => `${l.buckets[b]} ${b}`);
  const equation = `${l.arrivals} arrivals = ${parts.length > 0 ? parts.join(' + ') : '0'}`;
  if (l.balanced) return [`ledger: ${equation} ${paint('green', '(balanced)')}`];
  return [
    paint('red', `LEDGER DOES NOT ADD UP: ${equation}`),
    ...l.discrepancies.map((d) => paint('red', `  ${d}`)),
    ...l.anomalies.examples.slice(0, 5).map((e) => `  e.g. ${e}`),
  ];
}

function harnessLines(results: Results, rows: Row[], paint: Paint): string[] {
  // Where the local target behaved unlike Lambda (it waited where Lambda would have scaled out), and
  // which figures came from CloudWatch Logs rather than lambench's own calls (aws target).
  const lines: string[] = results.run.target.notes
    .filter((n) => n.startsWith('local: ') || n.startsWith('logs: '))
    .map((n) => paint('yellow', n));
  const approximation = approximationWarning(results);
  if (approximation) lines.push(paint('yellow', `APPROXIMATE: ${approximation}`));
  const dropped = rows.reduce(
    (n, row) => n + sum(row, (s) => s.counters.droppedByReason[HARNESS_DROP_REASON] ?? 0),
    0,
  );
  if (dropped > 0) {
    lines.push(
      paint(
        'red',
        `WARNING: ${dropped} arrival(s) dropped by the harness (maxInFlight reached): the load was not fully applied`,
      ),
    );
  }
  const samples = results.run.harness.samples;
  const verdict = results.run.harness.verdict;
  if (verdict) {
    // A verdict that is not clean opens the summary (verdictLines); a clean one says so here.
    if (verdict.clean && samples.length > 0) {
      const p99 = Math.max(...samples.map((s) => s.loopDelayP99Ms));
      const cpu = Math.max(...samples.map((s) => s.cpuPercent));
      const late = verdict.lateArrivals;
      const lateText =
        late.count > 0
          ? `, ${late.count} arrival(s) fired > ${late.toleranceMs} ms late, up to ${late.maxLagMs.toFixed(0)} ms`
          : '';
      lines.push(
        `harness: ok (event-loop delay p99 <= ${p99.toFixed(1)} ms, CPU <= ${cpu.toFixed(0)}% of a core${lateText})`,
      );
    }
    return lines;
  }
  const saturated = samples.filter((s) => s.saturated);
  if (saturated.length > 0) {
    const reasons = [...new Set(saturated.map((s) => s.reason).filter((r) => !!r))].slice(0, 2).join('; ');
    lines.push(
      paint(
        'yellow',
        `WARNING: harness saturated in ${saturated.length} of ${samples.length} samples (${reasons}): latencies include harness delay`,
      ),
    );
  } else if (samples.length > 0) {
    const p99 = Math.max(...samples.map((s) => s.loopDelayP99Ms));
    const cpu = Math.max(...samples.map((s) => s.cpuPercent));
    lines.push(
      `harness: ok (event-loop delay p99 <= ${p99.toFixed(1)} ms, CPU <= ${cpu.toFixed(0)}% of a core)`,
    );
  }
  const lag = Math.max(0, ...results.points.map((p) => p.scheduler?.maxLagMs ?? 0));
  if (lag > 10) lines.push(paint('yellow', `schedule lag: arrivals fired up to ${lag.toFixed(0)} ms late`));
  return lines;
}

/**
 * A harness that fell behind comes first, before any figure it may have inflated: what happened
 * and which seconds' latencies may include harness delay.
 */
function verdictLines(results: Results, paint: Paint): string[] {
  const verdict = results.run.harness.verdict;
  if (!verdict || verdict.clean) return [];
  const lines = [
    paint('red', "HARNESS FELL BEHIND: latencies below may include harness delay, not only the function's"),
  ];
  for (const stall of verdict.stalls) {
    if (stall.point === undefined) continue;
    const when = `${new Date(stall.atEpochMs).toISOString().slice(11, 23)}Z`;
    lines.push(
      paint(
        'red',
        `  stalled: the harness did not run for ${formatStall(stall.durationMs)} at ${pointName(results, stall.point)}second ${stall.second ?? 0} (${when})`,
      ),
    );
  }
  for (const reason of verdict.reasons) {
    if (!reason.startsWith('harness stalled')) lines.push(paint('red', `  ${reason}`));
  }
  const byPoint = new Map<number, number[]>();
  for (const { point, second } of verdict.affectedSeconds) {
    const list = byPoint.get(point) ?? [];
    list.push(second);
    byPoint.set(point, list);
  }
  for (const [point, seconds] of byPoint) {
    lines.push(
      paint(
        'red',
        `  affected: ${pointName(results, point)}second${seconds.length === 1 ? '' : 's'} ${formatSeconds(seconds)} (marked harnessDelayed in results.json)`,
      ),
    );
  }
  lines.push('');
  return lines;
}

function pointName(results: Results, point: number): string {
  const label = results.points[point]?.label;
  return results.points.length > 1 && label ? `point ${label} ` : '';
}

function formatStall(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
