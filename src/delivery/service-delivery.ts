/**
 * `delivery: service` (aws target): lambench publishes each generated SNS message to the real
 * topic, or puts each Kinesis record on the real stream, and the AWS integration — the topic's
 * subscriptions, the function's event source mapping — invokes the functions. lambench makes no
 * call to a function, so the figures split in two:
 *   - client-side: each arrival's outcome is the service's answer (`succeeded` = accepted,
 *     `failed` = still rejected after the retries, with the error code), end-to-end latency runs
 *     from the arrival to that answer, and the series' `service` section counts the calls, the
 *     accepted, rejected and retried entries and each call's latency;
 *   - from logs: invocations, cold starts, duration, billed duration, init and memory come from the
 *     function's REPORT lines in the point's window with the point's Memory Size (the integration
 *     invokes what its subscription or mapping names — $LATEST, which prepare set to the point's
 *     memory, or the user's own alias — not lambench's alias), read after the point; the series'
 *     `logs` section says how many were found and how long it waited. Other traffic to the function
 *     at the same memory in that window would be counted too.
 * Arrivals are sent in batches (10 messages / 500 records per call) gathered for a few ms.
 */
import { LambenchError } from '../core/errors.js';
import type { ServiceResults } from '../metrics/logs-schema.js';
import type { SeriesKey } from '../metrics/types.js';
import type {
  ServiceEntryOutcome,
  ServiceMessage,
  ServiceRecord,
  ServiceSender,
  Target,
} from '../targets/types.js';
import { Pending } from './pending.js';
import type { DeliveryContext } from './types.js';

export type ServiceTarget = { kind: 'sns'; topicArn: string } | { kind: 'kinesis'; streamName: string };

export interface ServiceRoute {
  readonly keys: readonly SeriesKey[];
  /** Reports the arrival for every key and sends it; resolves once the service answered. */
  deliver(eventId: number, intendedStartMs: number, payload: string): Promise<void>;
  stop(): void;
  settled(): Promise<void>;
  /** After the run: the service sections, then the functions' REPORT lines from their logs. */
  complete(): Promise<void>;
}

/** How long arrivals are gathered into one call. */
const GATHER_MS = 20;

interface Entry {
  eventId: number;
  intendedStartMs: number;
  /** Resolves the arrival's deliver() once its outcome is recorded. */
  done: () => void;
  message?: ServiceMessage;
  record?: ServiceRecord;
}

/** One route for a source: one publish or put per arrival, an outcome for each function's key. */
export function createServiceRoute(
  contexts: readonly DeliveryContext[],
  service: ServiceTarget,
): ServiceRoute {
  const first = contexts[0];
  if (first === undefined) throw new LambenchError('SERVICE_DELIVERY', 'delivery: service needs a function');
  const target: Target = first.target;
  const sender = target.services;
  if (sender === undefined || target.logs === undefined) {
    throw new LambenchError('SERVICE_DELIVERY', 'delivery: service needs a target with real services (aws)');
  }
  const { sink, clock } = first;
  const batchMax = service.kind === 'sns' ? 10 : 500;
  const section: ServiceResults = {
    kind: service.kind,
    resource: service.kind === 'sns' ? service.topicArn : service.streamName,
    calls: 0,
    accepted: 0,
    rejected: 0,
    retried: 0,
    rejectedByCode: {},
  };
  const latenciesUs: number[] = [];
  const pending = new Pending();
  let buffer: Entry[] = [];
  let cancelGather: (() => void) | undefined;
  let stopped = false;
  let sinceEpochMs: number | undefined;

  const outcome = (e: Entry, ok: boolean, reason: string | undefined, bucket?: 'in-flight') => {
    e.done();
    for (const ctx of contexts) {
      sink.outcome({
        key: ctx.key,
        eventId: e.eventId,
        bucket: bucket ?? (ok ? 'succeeded' : 'failed'),
        ...(reason === undefined ? {} : { reason }),
        attempts: 0,
        intendedStartMs: e.intendedStartMs,
        endMs: clock.now(),
      });
    }
  };

  async function send(batch: Entry[]): Promise<void> {
    const start = clock.now();
    let outcomes: ServiceEntryOutcome[];
    try {
      outcomes = await sendBatch(sender as ServiceSender, service, batch);
    } catch (error) {
      const code = (error as { name?: unknown }).name;
      const errorCode = typeof code === 'string' && code !== 'Error' ? code : 'ServiceCallFailed';
      outcomes = batch.map(() => ({ ok: false, errorCode, attempts: 1 }));
    }
    latenciesUs.push(Math.max(0, Math.round((clock.now() - start) * 1000)));
    section.calls += Math.max(1, ...outcomes.map((o) => o.attempts));
    batch.forEach((e, i) => {
      const o = outcomes[i] ?? { ok: false, errorCode: 'MissingResult', attempts: 1 };
      section.retried += Math.max(0, o.attempts - 1);
      if (o.ok) section.accepted++;
      else {
        section.rejected++;
        const code = o.errorCode ?? 'Unknown';
        section.rejectedByCode[code] = (section.rejectedByCode[code] ?? 0) + 1;
      }
      outcome(e, o.ok, o.ok ? undefined : (o.errorCode ?? 'Unknown'));
    });
  }

  function accept(entry: Entry, payload: string): void {
    if (stopped) {
      outcome(entry, false, 'stopped before the call', 'in-flight');
      return;
    }
    try {
      if (service.kind === 'sns') entry.message = snsMessageOf(payload);
      else entry.record = kinesisRecordOf(payload);
    } catch (error) {
      outcome(entry, false, `event not sendable: ${(error as Error).message}`);
      return;
    }
    sinceEpochMs ??= clock.wallNow();
    buffer.push(entry);
    if (buffer.length >= batchMax) flush();
    else cancelGather ??= clock.setTimer(GATHER_MS, flush);
  }

  function flush(): void {
    cancelGather?.();
    cancelGather = undefined;
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    void send(batch);
  }

  return {
    keys: contexts.map((c) => c.key),
    deliver(eventId, intendedStartMs, payload) {
      for (const ctx of contexts) sink.arrival(ctx.key, eventId, intendedStartMs);
      let done = () => {};
      // Pending from now on, not only once sent: settled() must wait for arrivals still gathering.
      const answered = pending.track(new Promise<void>((resolve) => (done = resolve)));
      const entry: Entry = { eventId, intendedStartMs, done };
      accept(entry, payload);
      return answered;
    },
    stop() {
      stopped = true;
      cancelGather?.();
      cancelGather = undefined;
      for (const e of buffer) outcome(e, false, 'stopped before the call', 'in-flight');
      buffer = [];
    },
    settled: () => pending.idle(),
    async complete() {
      if (sinceEpochMs === undefined) return;
      for (const ctx of contexts) {
        sink.serviceSection?.(
          ctx.key,
          { ...section, rejectedByCode: { ...section.rejectedByCode } },
          latenciesUs,
        );
        const via =
          service.kind === 'sns' ? `SNS topic ${service.topicArn}` : `Kinesis stream ${service.streamName}`;
        await readLogs(ctx, via, sinceEpochMs, service.kind === 'sns' ? section.accepted : undefined);
      }
    },
  };
}

/** Every REPORT line of the key's version since the run began; for SNS, one per accepted message is expected. */
async function readLogs(
  ctx: DeliveryContext,
  via: string,
  sinceEpochMs: number,
  expected: number | undefined,
): Promise<void> {
  const logs = ctx.target.logs;
  if (logs === undefined) return;
  try {
    const found = await logs.reports({
      functionName: ctx.key.functionName,
      qualifier: ctx.key.qualifier,
      sinceEpochMs,
      // The integration invokes what its subscription or mapping names ($LATEST, the user's alias),
      // not lambench's alias: the point's lines are the ones with its memory setting.
      ...(ctx.key.memoryMB > 0 ? { memorySizeMB: ctx.key.memoryMB } : {}),
      ...(expected === undefined ? {} : { expected }),
    });
    for (const report of found.reports) ctx.sink.logReport?.(ctx.key, report, true);
    const { source, functionName, qualifier } = ctx.key;
    ctx.target.info.notes.push(
      `logs: ${source}→${functionName}:${qualifier}: delivery: service via ${via} — outcomes and end-to-end latency are the service's answers to lambench's calls (client-side); ` +
        `invocations, cold starts, duration, billed duration, init and memory come from ${found.reports.length} REPORT line(s) with the point's memory size in CloudWatch Logs ${found.logGroup}` +
        (expected !== undefined && found.reports.length < expected
          ? ` (${expected} message(s) accepted; the topic's filter policies, or lines not in the logs within ${Math.round(found.waitedMs / 1000)} s, account for the difference)`
          : ''),
    );
    ctx.sink.logsSection?.(ctx.key, {
      source: 'cloudwatch-logs',
      logGroup: found.logGroup,
      matchedBy: found.matchedBy,
      requested: 0,
      found: found.reports.length,
      notFound: 0,
      reports: found.reports.length,
      waitedMs: found.waitedMs,
      requests: found.requests,
    });
  } catch (error) {
    ctx.target.info.notes.push(
      `logs: ${ctx.key.source}→${ctx.key.functionName}: reading CloudWatch Logs failed (${error instanceof Error ? error.message : String(error)}): no function figures for delivery: service`,
    );
    ctx.sink.logsSection?.(ctx.key, {
      source: 'cloudwatch-logs',
      logGroup: `/aws/lambda/${ctx.key.functionName}`,
      matchedBy: 'version',
      requested: 0,
      found: 0,
      notFound: 0,
      reports: 0,
      waitedMs: 0,
      requests: 0,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

function sendBatch(
  sender: ServiceSender,
  service: ServiceTarget,
  batch: Entry[],
): Promise<ServiceEntryOutcome[]> {
  if (service.kind === 'sns')
    return sender.publish(
      service.topicArn,
      batch.map((e) => e.message as ServiceMessage),
    );
  return sender.putRecords(
    service.streamName,
    batch.map((e) => e.record as ServiceRecord),
  );
}

/** The message inside a generated SNS event (Records[0].Sns): Message, Subject, String attributes. */
export function snsMessageOf(payload: string): ServiceMessage {
  const sns = firstRecord(payload).Sns as Record<string, unknown> | undefined;
  if (sns === undefined || typeof sns.Message !== 'string') throw new Error('no Records[0].Sns.Message');
  const out: ServiceMessage = { message: sns.Message };
  if (typeof sns.Subject === 'string' && sns.Subject !== '') out.subject = sns.Subject;
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries((sns.MessageAttributes ?? {}) as Record<string, unknown>)) {
    const v = value as { Value?: unknown };
    if (typeof v?.Value === 'string') attributes[name] = v.Value;
  }
  if (Object.keys(attributes).length > 0) out.attributes = attributes;
  return out;
}

/** The record inside a generated Kinesis event (Records[0].kinesis): its data and partition key. */
export function kinesisRecordOf(payload: string): ServiceRecord {
  const k = firstRecord(payload).kinesis as { data?: unknown; partitionKey?: unknown } | undefined;
  if (typeof k?.data !== 'string' || typeof k.partitionKey !== 'string') {
    throw new Error('no Records[0].kinesis data and partitionKey');
  }
  return { data: Buffer.from(k.data, 'base64'), partitionKey: k.partitionKey };
}

function firstRecord(payload: string): Record<string, unknown> {
  const event = JSON.parse(payload) as { Records?: unknown };
  const record = Array.isArray(event.Records) ? event.Records[0] : undefined;
  if (record === null || typeof record !== 'object') throw new Error('the event has no Records[0]');
  return record as Record<string, unknown>;
}
