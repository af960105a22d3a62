/**
 * Async sources sent as real Event invokes (`invocationType: Event`, aws target): Lambda's own
 * async queue takes each event and answers 202 with the request id the function will run under,
 * so lambench never sees the function run. An arrival's outcome is that answer — `succeeded` when
 * Lambda accepted the event, `failed` when it refused it (throttle, service error; not sent again:
 * a real producer's retries are its own) — and its attempt's client latency is the time to the 202.
 * The function's figures (duration, billed duration, init, memory, cold start) come afterwards from
 * its REPORT lines in its logs (Target.logs), matched by request id; how many were not found by the
 * end of the bounded wait is in the series' `logs` section.
 */
import { LambenchError } from '../core/errors.js';
import type { LogReports } from '../targets/types.js';
import { perArrivalDelivery } from './per-arrival.js';
import { callOnce } from './sync.js';
import type { Delivery, DeliveryContext } from './types.js';

export function createEventInvokeDelivery(ctx: DeliveryContext): Delivery {
  const logs = ctx.target.logs;
  if (logs === undefined) {
    throw new LambenchError(
      'EVENT_INVOKE',
      'invocationType: Event needs a target that can read function logs (aws)',
    );
  }
  /** Request id → the arrival it belongs to, for every event Lambda accepted. */
  const accepted = new Map<string, number>();
  /** Accepted without a request id in the answer: their REPORT cannot be found. */
  let withoutId = 0;
  let sinceEpochMs: number | undefined;

  const delivery = perArrivalDelivery(ctx, async (eventId, intendedStartMs, payload) => {
    sinceEpochMs ??= ctx.clock.wallNow();
    const call = await callOnce(ctx, eventId, intendedStartMs, payload, 'Event');
    if (call.result.status === 'ok') {
      if (call.result.requestId === undefined) withoutId++;
      else accepted.set(call.result.requestId, eventId);
    }
  });

  const complete = async (): Promise<void> => {
    if (sinceEpochMs === undefined || (accepted.size === 0 && withoutId === 0)) return;
    const requested = accepted.size + withoutId;
    let found: LogReports;
    try {
      found = await logs.reports({
        functionName: ctx.key.functionName,
        qualifier: ctx.key.qualifier,
        sinceEpochMs,
        requestIds: [...accepted.keys()],
      });
    } catch (error) {
      ctx.target.info.notes.push(
        `logs: ${ctx.key.source}→${ctx.key.functionName}: reading CloudWatch Logs failed (${error instanceof Error ? error.message : String(error)}): no function figures for its Event invokes`,
      );
      ctx.sink.logsSection?.(ctx.key, {
        source: 'cloudwatch-logs',
        logGroup: `/aws/lambda/${ctx.key.functionName}`,
        matchedBy: 'request-id',
        requested,
        found: 0,
        notFound: requested,
        reports: 0,
        waitedMs: 0,
        requests: 0,
        error: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    const seen = new Set<string>();
    for (const report of found.reports) {
      // The 202's attempt counted the first invocation; a later REPORT of the same request id is a
      // retry Lambda made itself after a function error.
      const first = !seen.has(report.requestId);
      seen.add(report.requestId);
      ctx.sink.logReport?.(ctx.key, report, !first);
      if (!first) ctx.sink.retry(ctx.key, accepted.get(report.requestId) ?? -1, 'Lambda async retry');
    }
    const notFound = found.notFound.length + withoutId;
    const { source, functionName, qualifier } = ctx.key;
    ctx.target.info.notes.push(
      `logs: ${source}→${functionName}:${qualifier}: sent as Event invokes — client latency is the time to Lambda's 202; ` +
        `duration, billed duration, init, memory and cold starts come from ${found.reports.length} REPORT line(s) in CloudWatch Logs ${found.logGroup}` +
        (notFound > 0
          ? `; ${notFound} of ${requested} request id(s) not found within ${Math.round(found.waitedMs / 1000)} s`
          : ''),
    );
    ctx.sink.logsSection?.(ctx.key, {
      source: 'cloudwatch-logs',
      logGroup: found.logGroup,
      matchedBy: 'request-id',
      requested,
      found: seen.size,
      notFound,
      reports: found.reports.length,
      waitedMs: found.waitedMs,
      requests: found.requests,
    });
  };

  return { ...delivery, complete };
}
