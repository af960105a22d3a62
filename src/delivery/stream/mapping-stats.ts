/**
 * What a pull mapping counts for its `stream` results section: the record ledger, batch sizes,
 * IteratorAge (histogram in µs and the per-second maximum) and retries. Cheap per record: counters
 * only; the histogram is touched once per batch.
 */
import {
  createHistogram,
  encodeHistogram,
  type Histogram,
  msToUs,
  recordClamped,
} from '../../metrics/histogram.js';
import type { StreamResults } from '../../metrics/results-schema.js';
import type { RecordLedger, StreamSettingsResults } from '../../metrics/stream-schema.js';

type Bucket = Exclude<keyof RecordLedger, 'balanced'>;

export class MappingStats {
  readonly records: Omit<RecordLedger, 'balanced'> = {
    put: 0,
    putThrottled: 0,
    filtered: 0,
    processed: 0,
    sentToDestination: 0,
    discarded: 0,
    expired: 0,
    inStream: 0,
  };
  recordsRetried = 0;
  bisections = 0;
  batches = 0;
  redeliveries = 0;
  maxConcurrentBatches = 0;
  readonly #batchSizes = new Map<number, number>();
  readonly #iteratorAge: Histogram = createHistogram('us');
  readonly #perSecond: Array<{ processed: number; batches: number; maxAgeMs: number }> = [];
  readonly #startMs: number;

  constructor(
    readonly kind: StreamResults['kind'],
    readonly settings: StreamSettingsResults,
    startMs: number,
  ) {
    this.#startMs = startMs;
  }

  count(bucket: Bucket, n: number, atMs?: number): void {
    this.records[bucket] += n;
    if (bucket === 'processed' && atMs !== undefined) this.#second(atMs).processed += n;
  }

  /** Records outside the ledger's end states: not yet decided. */
  get open(): number {
    const r = this.records;
    return (
      r.put -
      r.putThrottled -
      r.filtered -
      r.processed -
      r.sentToDestination -
      r.discarded -
      r.expired -
      r.inStream
    );
  }

  /** A batch reached the function; its IteratorAge is `ageMs` when the invocation finished at `endMs`. */
  batch(size: number, ageMs: number, endMs: number): void {
    this.batches++;
    this.#batchSizes.set(size, (this.#batchSizes.get(size) ?? 0) + 1);
    recordClamped(this.#iteratorAge, msToUs(Math.max(0, ageMs)), 'us');
    const s = this.#second(endMs);
    s.batches++;
    s.maxAgeMs = Math.max(s.maxAgeMs, ageMs);
  }

  #second(atMs: number) {
    const second = Math.max(0, Math.floor((atMs - this.#startMs) / 1000));
    for (let i = this.#perSecond.length; i <= second; i++)
      this.#perSecond.push({ processed: 0, batches: 0, maxAgeMs: -1 });
    return this.#perSecond[second] as { processed: number; batches: number; maxAgeMs: number };
  }

  results(): StreamResults {
    const records = { ...this.records, balanced: this.open === 0 };
    const batchSizes: Record<string, number> = {};
    for (const [size, n] of [...this.#batchSizes].sort((a, b) => a[0] - b[0])) batchSizes[String(size)] = n;
    const out: StreamResults = {
      kind: this.kind,
      settings: this.settings,
      records,
      recordsRetried: this.recordsRetried,
      bisections: this.bisections,
      batches: this.batches,
      batchSizes,
      perSecond: this.#perSecond.map((s, second) => ({
        second,
        processed: s.processed,
        batches: s.batches,
        maxIteratorAgeMs: s.maxAgeMs < 0 ? null : Math.round(s.maxAgeMs * 1000) / 1000,
      })),
    };
    if (this.#iteratorAge.totalCount > 0) out.iteratorAgeUs = encodeHistogram(this.#iteratorAge, 'us');
    if (this.kind === 'sqs') {
      out.redeliveries = this.redeliveries;
      out.maxConcurrentBatches = this.maxConcurrentBatches;
    }
    return out;
  }
}
