/**
 * The parts of a series that say where its function figures came from when lambench did not make
 * the call that ran the function, or did not get them in its answer: `logs` (REPORT lines read back
 * from CloudWatch Logs — Event invokes, invocations an AWS service made) and `service` (what
 * lambench's own publishes or puts to SNS or Kinesis did: the client-side figures of
 * `delivery: service`). Documented in docs/results-schema.md ("Logs", "Service").
 */
import { z } from 'zod';

const count = z.number().int().nonnegative();

export const LogsResultsSchema = z.object({
  /** Where the REPORT lines were read. */
  source: z.literal('cloudwatch-logs'),
  logGroup: z.string(),
  /**
   * `request-id`: Event invokes, each found by its request id; `memory-size`: every REPORT in the
   * point's window with the point's Memory Size (`delivery: service`); `version`: every REPORT of
   * the qualifier's version's log streams.
   */
  matchedBy: z.enum(['request-id', 'version', 'memory-size']),
  /** Request ids looked for (0 when matched by version). */
  requested: count,
  /** Request ids with a REPORT line; otherwise REPORT lines found. */
  found: count,
  /** Request ids with no REPORT line when the bounded wait ended. */
  notFound: count,
  /** REPORT lines recorded (a request id Lambda retried has one per invocation). */
  reports: count,
  /** From the first read to the last, ms. */
  waitedMs: z.number().nonnegative(),
  /** FilterLogEvents calls (pages included). */
  requests: count,
  /** Set when reading the logs failed: the figures from logs are then missing. */
  error: z.string().optional(),
});
export type LogsResults = z.infer<typeof LogsResultsSchema>;

export const ServiceResultsSchema = z.object({
  kind: z.enum(['sns', 'kinesis']),
  /** The topic ARN or the stream name lambench published or put to. */
  resource: z.string(),
  /** PublishBatch / PutRecords calls made, retries of rejected entries included. */
  calls: count,
  /** Messages or records the service accepted. */
  accepted: count,
  /** Messages or records that were still refused after the retries. */
  rejected: count,
  /** Entries sent again after the service rejected them in a batch. */
  retried: count,
  /** Rejected entries by the service's error code. */
  rejectedByCode: z.record(z.string(), count),
});
export type ServiceResults = z.infer<typeof ServiceResultsSchema>;
