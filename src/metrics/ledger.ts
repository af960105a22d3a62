/**
 * The ledger for one series key: every arrival must end in exactly one bucket. Arrived and
 * settled ids are two chunked bitsets (2 bits per dense id, no per-event objects), so recording
 * creates no garbage and memory stays flat as invocations grow; in flight = arrived − settled.
 */
import { LEDGER_BUCKETS, type LedgerBucket } from './types.js';

export type BucketCounts = Record<LedgerBucket, number>;

export function emptyBuckets(): BucketCounts {
  return Object.fromEntries(LEDGER_BUCKETS.map((b) => [b, 0])) as BucketCounts;
}

export function sumBuckets(buckets: BucketCounts): number {
  return LEDGER_BUCKETS.reduce((sum, b) => sum + buckets[b], 0);
}

/** Things delivery reported that cannot be right. Each makes the ledger unbalanced. */
export interface LedgerAnomalies {
  duplicateArrivals: number;
  unknownOutcomes: number;
  duplicateOutcomes: number;
  attemptsForUnknownArrivals: number;
  /** The first few, described, so the bug can be found. */
  examples: string[];
}

/** The anomalies in words, one line each. */
export function describeAnomalies(a: LedgerAnomalies): string[] {
  const lines: string[] = [];
  if (a.duplicateArrivals) lines.push(`${a.duplicateArrivals} arrival(s) reported twice`);
  if (a.unknownOutcomes) lines.push(`${a.unknownOutcomes} outcome(s) for arrivals never reported`);
  if (a.duplicateOutcomes) lines.push(`${a.duplicateOutcomes} arrival(s) with more than one outcome`);
  if (a.attemptsForUnknownArrivals)
    lines.push(`${a.attemptsForUnknownArrivals} attempt(s) for arrivals never reported`);
  return lines;
}

const MAX_EXAMPLES = 10;
const CHUNK_BITS = 15; // 32,768 ids per 4 KB chunk

/** A set of non-negative integer ids as bits in 4 KB chunks; other ids fall back to a Set. */
class IdBitset {
  #chunks = new Map<number, Uint32Array>();
  #odd = new Set<number>();

  add(id: number): void {
    if (!Number.isSafeInteger(id) || id < 0) {
      this.#odd.add(id);
      return;
    }
    const chunkIndex = Math.floor(id / 2 ** CHUNK_BITS);
    let chunk = this.#chunks.get(chunkIndex);
    if (!chunk) {
      chunk = new Uint32Array(2 ** (CHUNK_BITS - 5));
      this.#chunks.set(chunkIndex, chunk);
    }
    const bit = id % 2 ** CHUNK_BITS;
    chunk[bit >>> 5] = (chunk[bit >>> 5] ?? 0) | (1 << (bit & 31));
  }

  has(id: number): boolean {
    if (!Number.isSafeInteger(id) || id < 0) return this.#odd.has(id);
    const chunk = this.#chunks.get(Math.floor(id / 2 ** CHUNK_BITS));
    if (!chunk) return false;
    const bit = id % 2 ** CHUNK_BITS;
    return ((chunk[bit >>> 5] ?? 0) & (1 << (bit & 31))) !== 0;
  }
}

export class KeyLedger {
  arrivals = 0;
  readonly buckets = emptyBuckets();
  readonly anomalies: LedgerAnomalies = {
    duplicateArrivals: 0,
    unknownOutcomes: 0,
    duplicateOutcomes: 0,
    attemptsForUnknownArrivals: 0,
    examples: [],
  };
  readonly #arrived = new IdBitset();
  readonly #settled = new IdBitset();
  #uniqueArrivals = 0;
  #settledArrivals = 0;
  #closed = false;

  constructor(private readonly label: string) {}

  get inFlight(): number {
    return this.#uniqueArrivals - this.#settledArrivals;
  }

  arrival(eventId: number): void {
    this.arrivals++;
    if (this.#arrived.has(eventId)) {
      this.anomalies.duplicateArrivals++;
      this.#example(`duplicate arrival ${eventId}`);
      return;
    }
    this.#arrived.add(eventId);
    this.#uniqueArrivals++;
  }

  /** Counts the outcome in its bucket as reported; returns false if it is an anomaly. */
  outcome(eventId: number, bucket: LedgerBucket): boolean {
    this.buckets[bucket]++;
    const arrived = this.#arrived.has(eventId);
    if (arrived && !this.#settled.has(eventId) && !this.#closed) {
      this.#settled.add(eventId);
      this.#settledArrivals++;
      return true;
    }
    if (arrived) {
      this.anomalies.duplicateOutcomes++;
      this.#example(`second outcome (${bucket}) for event ${eventId}`);
    } else {
      this.anomalies.unknownOutcomes++;
      this.#example(`outcome (${bucket}) for event ${eventId}, which never arrived`);
    }
    return false;
  }

  attempt(eventId: number): void {
    if (this.#arrived.has(eventId)) return;
    this.anomalies.attemptsForUnknownArrivals++;
    this.#example(`attempt for event ${eventId}, which never arrived`);
  }

  /**
   * Arrivals without an outcome go to in-flight (the run stopped with them pending). After this,
   * any outcome is a duplicate: the arrival already has its in-flight one.
   */
  closeInFlight(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.buckets['in-flight'] += this.inFlight;
    this.#settledArrivals = this.#uniqueArrivals;
  }

  get anomalyCount(): number {
    const a = this.anomalies;
    return a.duplicateArrivals + a.unknownOutcomes + a.duplicateOutcomes + a.attemptsForUnknownArrivals;
  }

  #example(text: string): void {
    if (this.anomalies.examples.length < MAX_EXAMPLES) this.anomalies.examples.push(`${this.label}: ${text}`);
  }
}
