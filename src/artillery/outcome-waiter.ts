/**
 * Keeps an Artillery virtual user alive until its event's outcome is decided. Push sources decide
 * it before `deliver()` resolves; a pull source's `deliver()` only puts the record into the queue
 * or stream, and its event source mapping decides the outcome later, in a batch. Wrapping the
 * metrics sink, the waiter counts each event's arrivals and outcomes (one of each per function
 * key) and resolves once every arrival has its outcome.
 */
import type { MetricsSink, OutcomeRecord, SeriesKey } from '../metrics/types.js';

interface Pending {
  arrivals: number;
  outcomes: number;
  delivered: boolean;
  resolve(): void;
}

export interface OutcomeWaiter {
  /** The sink to hand the routes: every record goes on to `sink`, counted on the way. */
  readonly sink: MetricsSink;
  /**
   * Call before delivering event `eventId` of `source`; call `delivered()` once `deliver()`
   * resolved. `done` resolves when every arrival of the event has its outcome, or after `maxWaitMs`
   * (the scenario's grace: what is still undecided then stays in flight, as in a native run).
   */
  track(source: string, eventId: number, maxWaitMs: number): { delivered(): void; done: Promise<void> };
}

export function createOutcomeWaiter(sink: MetricsSink): OutcomeWaiter {
  const pending = new Map<string, Pending>();
  const id = (source: string, eventId: number) => `${source}\u0000${eventId}`;
  const check = (key: string, p: Pending) => {
    if (p.delivered && p.outcomes >= p.arrivals) {
      pending.delete(key);
      p.resolve();
    }
  };
  const counted: MetricsSink = {
    arrival(key: SeriesKey, eventId: number, intendedStartMs: number) {
      sink.arrival(key, eventId, intendedStartMs);
      const p = pending.get(id(key.source, eventId));
      if (p) p.arrivals += 1;
    },
    attempt: (record) => sink.attempt(record),
    outcome(record: OutcomeRecord) {
      sink.outcome(record);
      const key = id(record.key.source, record.eventId);
      const p = pending.get(key);
      if (p) {
        p.outcomes += 1;
        check(key, p);
      }
    },
    retry: (key, eventId, reason) => sink.retry(key, eventId, reason),
    filtered: (key, eventId) => sink.filtered(key, eventId),
    ...(sink.streamSection === undefined
      ? {}
      : { streamSection: (key, collect) => sink.streamSection?.(key, collect) }),
  };
  return {
    sink: counted,
    track(source, eventId, maxWaitMs) {
      const key = id(source, eventId);
      let timer: NodeJS.Timeout | undefined;
      let entry: Pending | undefined;
      const done = new Promise<void>((resolve) => {
        entry = { arrivals: 0, outcomes: 0, delivered: false, resolve };
        pending.set(key, entry);
      }).finally(() => clearTimeout(timer));
      return {
        delivered() {
          if (entry === undefined) return;
          entry.delivered = true;
          check(key, entry);
          if (pending.has(key)) {
            timer = setTimeout(() => {
              pending.delete(key);
              entry?.resolve();
            }, maxWaitMs);
          }
        },
        done,
      };
    },
  };
}
