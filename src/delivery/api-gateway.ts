/**
 * API Gateway Lambda proxy delivery (REST payload v1.0, HTTP API payload v2.0): one synchronous
 * call, never retried (API Gateway does not retry Lambda), with the HTTP status a client would see
 * stored on the attempt.
 *
 * Outcome rule: `succeeded` when the function returned a valid proxy response — whatever status it
 * chose, 4xx and 5xx included, because that is the function's answer, delivered as intended;
 * `failed` when API Gateway produced the status itself (malformed response, function error,
 * throttle, service error, integration timeout), with the reason.
 *
 * Integration timeout: API Gateway answers the client 504 and stops waiting; Lambda does not stop
 * the function. The 504 is the outcome (decided at the timeout, counted in httpStatuses like any
 * answer); the call is recorded when the function ends — invoked, measured and billed — marked
 * answeredAfterIntegrationTimeout, since its result reached nobody.
 */
import { InputError } from '../core/errors.js';
import { callTarget, recordAttempt } from './call-target.js';
import { perArrivalDelivery } from './per-arrival.js';
import { type ProxyVersion, proxyResponseStatus } from './proxy-response.js';
import type { Delivery, DeliveryContext } from './types.js';

export interface ApiGatewayOptions {
  version: ProxyVersion;
  /** API Gateway stops waiting after this long and answers 504; default 29,000 ms. */
  integrationTimeoutMs?: number;
}

export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;
/** REST APIs can be raised past 29 s on request (up to 300 s); HTTP APIs are capped at 30 s. */
const MAX_INTEGRATION_TIMEOUT_MS: Record<ProxyVersion, number> = { v1: 300_000, v2: 30_000 };

export const INTEGRATION_TIMEOUT = 'IntegrationTimeout';

export function createApiGatewayDelivery(ctx: DeliveryContext, options: ApiGatewayOptions): Delivery {
  const timeoutMs = options.integrationTimeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
  const max = MAX_INTEGRATION_TIMEOUT_MS[options.version];
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > max) {
    throw new InputError(
      'INVALID_INTEGRATION_TIMEOUT',
      `integrationTimeout must be more than 0 and at most ${max} ms for API Gateway ${options.version}, got ${timeoutMs}`,
    );
  }
  return perArrivalDelivery(ctx, async (eventId, intendedStartMs, payload, pending) => {
    const outcomeBase = { key: ctx.key, eventId, intendedStartMs };
    let timedOut = false;
    let decided = false;
    const call = callTarget(ctx, payload);
    // The client's answer: whichever comes first, the function's result or the integration timeout.
    const timeout = new Promise<void>((resolve) => {
      const cancel = ctx.clock.setTimer(timeoutMs, () => {
        if (decided) return;
        timedOut = true;
        decided = true;
        ctx.sink.outcome({
          ...outcomeBase,
          bucket: 'failed',
          reason: INTEGRATION_TIMEOUT,
          attempts: 1,
          endMs: ctx.clock.now(),
          httpStatus: 504,
        });
        resolve();
      });
      void call.then(() => {
        cancel();
        resolve();
      });
    });
    const answered = call.then((done) => {
      // The function kept running after the timeout; its call is recorded now that it ended.
      if (timedOut) {
        recordAttempt(ctx, eventId, 1, intendedStartMs, done, undefined, {
          answeredAfterIntegrationTimeout: true,
        });
        return;
      }
      const status = proxyResponseStatus(options.version, done.result);
      recordAttempt(ctx, eventId, 1, intendedStartMs, done, status.status);
      if (decided) return;
      decided = true;
      ctx.sink.outcome({
        ...outcomeBase,
        bucket: status.reason === undefined ? 'succeeded' : 'failed',
        ...(status.reason === undefined ? {} : { reason: status.reason }),
        attempts: 1,
        endMs: done.endMs,
      });
    });
    pending.track(answered);
    await Promise.race([timeout, answered]);
  });
}
