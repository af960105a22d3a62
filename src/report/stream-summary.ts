/**
 * The summary's block for event source mappings: per pull-source series (one per batch size when
 * swept), records per second sustained, invocations per million records, cost per million records
 * (src/cost), IteratorAge p99 and max, and whether the function kept up. Reads results.json only.
 */
import { perMillionRecords, seriesCost } from '../cost/index.js';
import type { Results, SeriesResults } from '../metrics/results-schema.js';

/**
 * Kept up: nothing was left in the stream at the end and the IteratorAge of the last second with
 * batches is below 10 s — a consumer falling behind shows a growing age.
 */
const KEPT_UP_AGE_MS = 10_000;

export function streamSummaryLines(results: Results): string[] {
  const rows: string[][] = [];
  for (const point of results.points) {
    for (const s of point.series) if (s.stream) rows.push(rowFor(point.label, s));
  }
  if (rows.length === 0) return [];
  const header = [
    'MAPPING',
    'BATCH',
    'RECORDS',
    'REC/S',
    'INVOKES/1M REC',
    'USD/1M REC',
    'ITER AGE P99',
    'MAX',
    'RETRIED',
    'FILTERED',
    'TO DEST',
    'KEPT UP',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return ['event source mappings:', line(header), ...rows.map(line), ''];
}

function rowFor(label: string, s: SeriesResults): string[] {
  const stream = s.stream as NonNullable<SeriesResults['stream']>;
  const r = stream.records;
  const active = stream.perSecond.filter((p) => p.processed > 0);
  const perSecond = active.length > 0 ? r.processed / active.length : 0;
  const invokesPerMillion = r.processed > 0 ? (stream.batches / r.processed) * 1e6 : 0;
  const usd = perMillionRecords(seriesCost(s), r.processed);
  const age = stream.iteratorAgeUs?.summary;
  const lastAge =
    [...stream.perSecond].reverse().find((p) => p.maxIteratorAgeMs !== null)?.maxIteratorAgeMs ?? 0;
  const keptUp = r.inStream === 0 && lastAge < KEPT_UP_AGE_MS;
  return [
    `${label ? `${label} ` : ''}${s.key.source}→${s.key.functionName}`,
    String(stream.settings.batchSize),
    String(r.put),
    perSecond.toFixed(0),
    invokesPerMillion.toFixed(0),
    usd.toFixed(4),
    age ? ms(age.p99) : '-',
    age ? ms(age.max) : '-',
    String(stream.recordsRetried),
    String(r.filtered),
    String(r.sentToDestination),
    keptUp ? 'yes' : 'NO',
  ];
}

function ms(us: number): string {
  return us >= 10_000_000 ? `${(us / 1e6).toFixed(1)}s` : `${(us / 1000).toFixed(1)}ms`;
}
